import fs from 'node:fs/promises'
import { create as createFont, type Font, type FontCollection } from 'fontkit'
import {
  decodePDFRawStream,
  PDFArray,
  PDFDict,
  PDFDocument,
  type PDFFont,
  type PDFHexString,
  PDFName,
  type PDFPage,
  type PDFRawStream,
  PDFString,
  rgb,
} from 'pdf-lib'
import QRCode from 'qrcode'
import { AppError } from '../../platform/errors.ts'
import type { LicenseDocument, SignedLicenseFile } from './licenses.document.ts'
import { messages } from './licenses.messages.ts'

/**
 * Where the PDF rendering looks for a CJK font, first found wins. Noto Sans CJK arrives with Debian's
 * `fonts-noto-cjk`, which `scripts/install-browser.sh` (and so CI) installs; the others are common
 * Debian CJK fonts. The face is taken from a collection by its PostScript name.
 */
export const DEFAULT_CJK_FONTS: readonly CjkFontSource[] = [
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', face: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', face: 'NotoSerifCJKsc-Regular' },
  { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc' },
  { path: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc' },
  { path: '/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf' },
]

export interface CjkFontSource {
  path: string
  /** PostScript name of the face inside a collection (.ttc); the first face when absent. */
  face?: string
}

/** What the rendering shows: the license as signed, its display template and the 亮证 QR code. */
export interface LicensePdfContent {
  file: SignedLicenseFile
  /** 照面信息 lines with {{field}} placeholders (the type's display template). */
  displayTemplate: string
  /** Field titles from the type's schema, for a type without a display template. */
  fieldTitles: Record<string, string>
  issuerName: string
  verificationUrl: string
  tokenExpiresAt: Date
  generatedAt: Date
}

/** The name of the SM2-signed license file attached to every rendering. */
export const SIGNED_ATTACHMENT = 'license.signed.json'

const A4: [number, number] = [595.28, 841.89]
const MARGIN = 48
const INK = rgb(0.13, 0.13, 0.13)
const GREY = rgb(0.42, 0.42, 0.42)
const RED = rgb(0.7, 0.11, 0.11)
const QR_SIZE = 132
const NO_LINE_START = '，。、；：？！）》」』】”’,.;:?!)%'

/** Asia/Shanghai wall-clock time, YYYY-MM-DD HH:mm. */
function shanghaiTime(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')
}

/** A fontkit adapter for pdf-lib, handing it one already parsed face (fontkit 2 subsets CFF fonts right). */
function fontkitFor(font: Font) {
  return {
    create: () => {
      const createSubset = font.createSubset.bind(font)
      return Object.assign(Object.create(font) as Font, {
        createSubset: () => {
          const subset = createSubset()
          // pdf-lib reads the subset as a stream of chunks (fontkit 1's interface); fontkit 2 encodes at once
          return Object.assign(subset, {
            encodeStream() {
              const handlers: Record<string, (value?: unknown) => void> = {}
              const stream = {
                on(event: string, handler: (value?: unknown) => void) {
                  handlers[event] = handler
                  return stream
                },
              }
              setImmediate(() => {
                try {
                  handlers.data?.(subset.encode())
                  handlers.end?.()
                } catch (error) {
                  handlers.error?.(error)
                }
              })
              return stream
            },
          })
        },
      })
    },
  }
}

/**
 * Renders 电子证照 as PDF: the type's name, the 照面信息 after the display template, the GB/T 36903
 * metadata, a QR code of a fresh short-lived verification token, and the SM2-signed file attached (so the
 * PDF alone is enough for offline verification). Chinese text is set in an embedded CJK font subset.
 */
export class LicensePdfRenderer {
  private font: Promise<Font | undefined> | undefined

  constructor(private readonly sources: readonly CjkFontSource[] = DEFAULT_CJK_FONTS) {}

  /** The first CJK font found, parsed once per process (the font file stays in memory). */
  private loadFont(): Promise<Font | undefined> {
    this.font ??= (async () => {
      for (const source of this.sources) {
        const bytes = await fs.readFile(source.path).catch(() => undefined)
        if (!bytes) continue
        try {
          const parsed = createFont(bytes) as Font | FontCollection
          const face =
            'fonts' in parsed
              ? ((source.face ? parsed.getFont(source.face) : undefined) ?? parsed.fonts[0])
              : parsed
          if (face?.hasGlyphForCodePoint(0x8bc1)) return face // 证
        } catch {
          // not a font fontkit can read: try the next one
        }
      }
      return undefined
    })()
    return this.font
  }

  /** Renders the license: heading, QR code, 照面信息, GB/T 36903 metadata and footer, the signed file attached. */
  async render(content: LicensePdfContent): Promise<Uint8Array> {
    const face = await this.loadFont()
    if (!face) throw new AppError('unavailable', { detail: messages.noCjkFont })
    const { pdf, font } = await createPdf(content, face)
    const layout = new Flow(pdf, font)
    drawHeading(layout, content.file.document)
    const qr = drawQrCode(pdf, layout, content)
    // 照面信息, beside the QR code and then below it
    layout.y = qr.top - 14
    layout.rightLimit = (y) => (y > qr.top - QR_SIZE - 40 ? qr.left - 16 : A4[0] - MARGIN)
    for (const line of faceLines(content, content.file.document.fields)) layout.paragraph(line, 12.5, INK, 8)
    layout.y = Math.min(layout.y, qr.top - QR_SIZE - 40) - 10
    layout.rule()
    for (const [label, value] of metadataRows(content.file)) layout.row(label, value)
    drawFooter(layout, content.generatedAt)
    return pdf.save()
  }
}

/** A new PDF with the embedded font, the document's metadata and the signed file attached. */
async function createPdf(
  content: LicensePdfContent,
  face: Font,
): Promise<{ pdf: PDFDocument; font: PDFFont }> {
  const { document } = content.file
  const pdf = await PDFDocument.create()
  pdf.registerFontkit(fontkitFor(face) as unknown as Parameters<PDFDocument['registerFontkit']>[0])
  const font = await pdf.embedFont(new Uint8Array(0), { subset: true })
  pdf.setTitle(`${document.licenseType.name} ${document.licenseId}`)
  pdf.setSubject(`电子证照 ${document.licenseId}`)
  pdf.setKeywords([document.licenseId, document.licenseType.code, document.issuer.code])
  pdf.setAuthor(content.issuerName)
  pdf.setCreator('通办 Tongban')
  pdf.setProducer('通办 Tongban (pdf-lib)')
  pdf.setLanguage('zh-CN')
  pdf.setCreationDate(content.generatedAt)
  pdf.setModificationDate(content.generatedAt)
  await pdf.attach(new TextEncoder().encode(JSON.stringify(content.file, null, 2)), SIGNED_ATTACHMENT, {
    mimeType: 'application/json',
    description:
      'SM2 签名的证照文件，可用颁证单位公布的公钥离线核验 / the SM2-signed license for offline verification',
    creationDate: content.generatedAt,
    modificationDate: content.generatedAt,
  })
  return { pdf, font }
}

/** The heading: the words 电子证照, the type's name, a red rule. */
function drawHeading(layout: Flow, document: LicenseDocument): void {
  const { page, font } = layout
  const [width, height] = A4
  page.drawText('电子证照  ELECTRONIC LICENSE', { x: MARGIN, y: height - MARGIN, size: 9, font, color: GREY })
  const titleSize = 26
  page.drawText(document.licenseType.name, {
    x: (width - font.widthOfTextAtSize(document.licenseType.name, titleSize)) / 2,
    y: height - MARGIN - 44,
    size: titleSize,
    font,
    color: INK,
  })
  page.drawLine({
    start: { x: MARGIN, y: height - MARGIN - 60 },
    end: { x: width - MARGIN, y: height - MARGIN - 60 },
    thickness: 1.5,
    color: RED,
  })
}

/** The QR code, top right, drawn as vector squares, linked to the verification page, with its caption. */
function drawQrCode(
  pdf: PDFDocument,
  layout: Flow,
  content: LicensePdfContent,
): { top: number; left: number } {
  const { page, font } = layout
  const [width, height] = A4
  const top = height - MARGIN - 76
  const left = width - MARGIN - QR_SIZE
  drawQr(page, content.verificationUrl, left, top - QR_SIZE, QR_SIZE)
  // on screen the code is also a link to the verification page
  const link = pdf.context.obj({
    Type: 'Annot',
    Subtype: 'Link',
    Rect: [left, top - QR_SIZE, left + QR_SIZE, top],
    Border: [0, 0, 0],
    A: { Type: 'Action', S: 'URI', URI: PDFString.of(content.verificationUrl) },
  })
  page.node.addAnnot(pdf.context.register(link))
  const caption = ['扫码核验真伪与状态', `码有效至 ${shanghaiTime(content.tokenExpiresAt)}（北京时间）`]
  for (const [i, line] of caption.entries())
    page.drawText(line, {
      x: left + (QR_SIZE - font.widthOfTextAtSize(line, 8)) / 2,
      y: top - QR_SIZE - 14 - i * 11,
      size: 8,
      font,
      color: GREY,
    })
  return { top, left }
}

/** GB/T 36903 metadata: holder, issuer, dates, type, identifier, version and the signature. */
function metadataRows({ document, signature }: SignedLicenseFile): [string, string][] {
  const holderKind = document.holder.kind === 'company' ? '法人' : '自然人'
  return [
    ['持证主体', `${document.holder.name}（${holderKind}）`],
    ['颁证单位', `${document.issuer.name}  统一社会信用代码 ${document.issuer.code}`],
    ['颁证日期', document.issuedOn],
    ['有效期限', `${document.validFrom} 至 ${document.validUntil ?? '长期'}`],
    ['证照类型', `${document.licenseType.name}（${document.licenseType.code}）`],
    ['证照标识', document.licenseId],
    ['版本', String(document.version)],
    ['数字签名', `SM2-SM3，密钥 ${signature.keyId}，签名时间 ${shanghaiTime(new Date(document.signedAt))}`],
    ['签名值', signature.value],
  ]
}

/** The footer: when it was made, and that the QR code and the signed file are what count. */
function drawFooter(layout: Flow, generatedAt: Date): void {
  layout.y -= 8
  layout.rule()
  layout.paragraph(
    `本文件由通办一体化在线政务服务平台于 ${shanghaiTime(generatedAt)}（北京时间）生成。证照的真实性与当前状态（有效、暂停、注销、过期）以扫描二维码核验的结果为准；本 PDF 附有 SM2 签名的证照文件 license.signed.json，可用颁证单位公布的公钥离线核验签名。`,
    8.5,
    GREY,
    3,
  )
}

/**
 * The display template's lines with fields filled in (a line whose every field is empty is left out);
 * without a template, one line per field with its title.
 */
function faceLines(content: LicensePdfContent, fields: Record<string, unknown>): string[] {
  const show = (value: unknown) =>
    value === undefined || value === null
      ? ''
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value)
  if (!content.displayTemplate.trim())
    return Object.entries(fields).map(
      ([name, value]) => `${content.fieldTitles[name] ?? name} ${show(value)}`,
    )
  const lines: string[] = []
  for (const template of content.displayTemplate.split('\n')) {
    const names = [...template.matchAll(/\{\{\s*([\w.-]+)\s*\}\}/g)].map((m) => m[1] as string)
    if (names.length > 0 && names.every((name) => show(fields[name]) === '')) continue
    const line = template
      .replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (_, name: string) => show(fields[name]))
      .trimEnd()
    if (line.trim()) lines.push(line)
  }
  return lines
}

/** Draws a QR code of `text` as filled squares (crisp at any zoom, no image). */
function drawQr(page: PDFPage, text: string, x: number, y: number, size: number): void {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' })
  const quiet = 2
  const cell = size / (modules.size + quiet * 2)
  page.drawRectangle({ x, y, width: size, height: size, color: rgb(1, 1, 1) })
  for (let row = 0; row < modules.size; row += 1)
    for (let col = 0; col < modules.size; col += 1)
      if (modules.get(row, col))
        page.drawRectangle({
          x: x + (col + quiet) * cell,
          y: y + size - (row + quiet + 1) * cell,
          width: cell + 0.05,
          height: cell + 0.05,
          color: rgb(0, 0, 0),
        })
}

/** Text flowing down the page, wrapped at the right limit, onto new pages when the page is full. */
class Flow {
  page: PDFPage
  y: number
  rightLimit: (y: number) => number = () => A4[0] - MARGIN

  constructor(
    private readonly pdf: PDFDocument,
    readonly font: PDFFont,
  ) {
    this.page = pdf.addPage(A4)
    this.y = A4[1] - MARGIN
  }

  private ensure(lineHeight: number): void {
    if (this.y - lineHeight >= MARGIN) return
    this.page = this.pdf.addPage(A4)
    this.y = A4[1] - MARGIN
    this.rightLimit = () => A4[0] - MARGIN
  }

  /** Splits text into lines that fit between `left` and the right limit (CJK text breaks anywhere). */
  private wrap(text: string, size: number, left: number): string[] {
    const lines: string[] = []
    let line = ''
    for (const char of text) {
      const limit = this.rightLimit(this.y - lines.length * size * 1.5) - left
      // closing punctuation never starts a line (避头): it may stand a little into the margin
      if (line && !NO_LINE_START.includes(char) && this.font.widthOfTextAtSize(line + char, size) > limit) {
        lines.push(line)
        line = char.trim() ? char : ''
      } else line += char
    }
    if (line) lines.push(line)
    return lines
  }

  paragraph(text: string, size: number, color: ReturnType<typeof rgb>, after: number, left = MARGIN): void {
    for (const line of this.wrap(text, size, left)) {
      this.ensure(size * 1.5)
      this.y -= size * 1.5
      this.page.drawText(line, { x: left, y: this.y, size, font: this.font, color })
    }
    this.y -= after
  }

  row(label: string, value: string): void {
    const size = 9.5
    this.ensure(size * 1.6)
    this.page.drawText(label, { x: MARGIN, y: this.y - size * 1.5, size, font: this.font, color: GREY })
    this.paragraph(value, size, INK, 2, MARGIN + 64)
  }

  rule(): void {
    this.ensure(12)
    this.y -= 6
    this.page.drawLine({
      start: { x: MARGIN, y: this.y },
      end: { x: A4[0] - MARGIN, y: this.y },
      thickness: 0.5,
      color: rgb(0.8, 0.8, 0.8),
    })
    this.y -= 6
  }
}

/**
 * The SM2-signed license file attached to a PDF rendering, for offline verification of the PDF alone;
 * undefined when the bytes are not such a PDF.
 */
export async function signedFileOfPdf(bytes: Uint8Array): Promise<SignedLicenseFile | undefined> {
  try {
    const pdf = await PDFDocument.load(bytes, { updateMetadata: false })
    const names = pdf.catalog.lookupMaybe(PDFName.of('Names'), PDFDict)
    const files = names
      ?.lookupMaybe(PDFName.of('EmbeddedFiles'), PDFDict)
      ?.lookupMaybe(PDFName.of('Names'), PDFArray)
    if (!files) return undefined
    for (let i = 0; i + 1 < files.size(); i += 2) {
      const name = files.lookup(i) as PDFString | PDFHexString
      if (name.decodeText() !== SIGNED_ATTACHMENT) continue
      const spec = files.lookup(i + 1, PDFDict)
      const stream = spec.lookup(PDFName.of('EF'), PDFDict).lookup(PDFName.of('F')) as PDFRawStream
      return JSON.parse(new TextDecoder().decode(decodePDFRawStream(stream).decode())) as SignedLicenseFile
    }
    return undefined
  } catch {
    return undefined
  }
}
