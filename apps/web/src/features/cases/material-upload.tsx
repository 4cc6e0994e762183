import { CheckCircleFilled, SafetyCertificateOutlined, UploadOutlined } from '@ant-design/icons'
import type { FieldError, LicenseView, PublishedGuideView } from '@tongban/contracts'
import { Button, Progress, Tag } from 'antd'
import { useId, useRef, useState } from 'react'
import { describeError } from '../../api/client.ts'
import { uploadMaterial } from '../../api/upload.ts'
import { usePreferences, useT } from '../../app/preferences.tsx'
import { type Language, type MessageKey, pickLocalized } from '../../i18n/i18n.ts'

type Material = PublishedGuideView['content']['materials'][number]

/** A material as it will be sent: an uploaded file by its SHA-256, or a 用证授权 grant of an e-license. */
export type AttachedFile =
  | { key: string; name: string; fileSha256: string }
  | { key: string; name: string; licenseGrantId: string }

/** Keeps only well-formed attached materials (e.g. read back from a draft). */
export function attachedMaterials(value: unknown): AttachedFile[] {
  if (!Array.isArray(value)) return []
  return value.filter(
    (m): m is AttachedFile =>
      typeof m?.key === 'string' &&
      typeof m.name === 'string' &&
      (typeof m.fileSha256 === 'string' || typeof m.licenseGrantId === 'string'),
  )
}

/** The wire shape of an attached material (exactly the fields the API accepts). */
export function materialRef(file: AttachedFile): AttachedFile {
  return 'fileSha256' in file
    ? { key: file.key, fileSha256: file.fileSha256, name: file.name }
    : { key: file.key, licenseGrantId: file.licenseGrantId, name: file.name }
}

/**
 * Splits the server's unmatched field errors into those about an attached material (`/materials/<i>`,
 * by the material's key, in the user's language) and the rest.
 */
export function materialErrorsOf(
  errors: FieldError[],
  attached: AttachedFile[],
  language: Language,
): { byMaterial: Record<string, string>; rest: FieldError[] } {
  const byMaterial: Record<string, string> = {}
  const rest = errors.filter((fieldError) => {
    const match = /^\/materials\/(\d+)/.exec(fieldError.path)
    const index = match ? Number(match[1]) : -1
    const key = attached[index]?.key
    if (key) byMaterial[key] = pickLocalized(fieldError.message, language)
    return !key
  })
  return { byMaterial, rest }
}

/** "免提交 · <source>", unless the source's name says 免提交 already. */
function sourceLabel(source: string, notNeeded: string): string {
  return source.startsWith(notNeeded) ? source : `${notNeeded} · ${source}`
}

const NOTES: Record<string, MessageKey> = {
  shared: 'apply.sharedNote',
  department: 'apply.departmentNote',
  license: 'apply.licenseNote',
}

/** E-licenses of the applicant that can stand in for a material, and how to authorize one (用证授权). */
export interface LicenseChoice {
  /** Valid licenses of the material's type in the applicant's wallet. */
  options: LicenseView[]
  /** Grants the case's department the use of a license and returns the material to send. */
  use: (license: LicenseView) => Promise<AttachedFile>
}

/** The holder's valid licenses of the material's type, each a button that authorizes it (用证授权). */
function LicenseButtons({
  licenses,
  granting,
  onChoose,
}: {
  licenses: LicenseView[]
  granting: string | undefined
  onChoose: (license: LicenseView) => void
}) {
  const t = useT()
  if (licenses.length === 0)
    return <p className="result-meta material-note">{t('apply.noLicenseUploadCopy')}</p>
  return (
    <div className="material-licenses">
      {licenses.map((held) => (
        <Button
          key={held.id}
          type="primary"
          ghost
          icon={<SafetyCertificateOutlined />}
          loading={granting === held.id}
          title={held.licenseNo}
          className="license-button"
          onClick={() => onChoose(held)}
        >
          {t('apply.useLicense', { name: held.typeName, no: licenseNoTail(held.licenseNo) })}
        </Button>
      ))}
    </div>
  )
}

/**
 * The last characters of a license number: enough to tell two licenses apart on the button, short
 * enough for a phone in 长辈版 (the whole number, some 60 characters, is the button's title).
 */
export function licenseNoTail(licenseNo: string, length = 6): string {
  return licenseNo.length <= length ? licenseNo : licenseNo.slice(-length)
}

/** The file input (hidden) and its button: upload, scan or replace. */
function FilePicker({
  material,
  label,
  disabled,
  onFile,
}: {
  material: Material
  label: string
  disabled: boolean
  onFile: (file: File) => void
}) {
  const t = useT()
  const input = useRef<HTMLInputElement>(null)
  const inputId = useId()
  return (
    <>
      <input
        ref={input}
        id={inputId}
        type="file"
        className="visually-hidden"
        accept="application/pdf,image/jpeg,image/png,image/webp"
        aria-label={`${t('apply.upload')}：${material.name}`}
        onChange={(event) => {
          const file = event.target.files?.[0]
          event.target.value = ''
          if (file) onFile(file)
        }}
      />
      <Button icon={<UploadOutlined />} onClick={() => input.current?.click()} disabled={disabled}>
        {label}
      </Button>
      <span className="result-meta">{t('apply.uploadHint')}</span>
    </>
  )
}

/** What is attached now (a file or an authorized license), with a way to remove it. */
function AttachedNote({ attached, onRemove }: { attached: AttachedFile; onRemove: () => void }) {
  const t = useT()
  return (
    <div className="material-attached" data-testid={`attached-${attached.key}`}>
      <CheckCircleFilled className="material-ok" aria-hidden="true" />
      <span>
        {'licenseGrantId' in attached
          ? t('apply.licenseAttached', { name: attached.name })
          : t('apply.uploaded', { name: attached.name })}
      </span>
      <Button type="link" size="small" onClick={onRemove}>
        {t('apply.remove')}
      </Button>
    </div>
  )
}

/** The upload's progress bar. */
function UploadProgress({
  material,
  progress,
}: {
  material: Material
  progress: { name: string; percent: number }
}) {
  const t = useT()
  return (
    <div className="material-progress" role="status">
      <span>{t('apply.uploading', { name: progress.name })}</span>
      <Progress
        percent={progress.percent}
        size="small"
        aria-label={progress.name}
        data-testid={`upload-progress-${material.key}`}
      />
    </div>
  )
}

/** The material's head: its name, whether it is required, and where it comes from if not uploaded. */
function MaterialHead({ material }: { material: Material }) {
  const t = useT()
  return (
    <div className="material-head">
      <span className="material-name">{material.name}</span>
      <Tag color={material.required ? 'red' : 'default'}>
        {material.required ? t('apply.requiredMaterial') : t('apply.optionalMaterial')}
      </Tag>
      {material.source === 'upload' ? null : (
        <Tag color="green">
          {sourceLabel(t(`guide.source.${material.source}` as MessageKey), t('apply.noSubmit'))}
        </Tag>
      )}
    </div>
  )
}

/** The label of the upload button for the material's state. */
function uploadLabel(
  t: ReturnType<typeof useT>,
  attached: boolean,
  scan: boolean,
  isLicense: boolean,
): string {
  if (attached) return t('apply.replace')
  if (scan) return t('apply.scanUpload')
  return isLicense ? t('apply.uploadCopy') : t('apply.upload')
}

/** Uploading a file and authorizing a license for one material, with the failure of either. */
function useMaterialActions(material: Material, onChange: (file: AttachedFile | undefined) => void) {
  const t = useT()
  const { language } = usePreferences()
  const [progress, setProgress] = useState<{ name: string; percent: number }>()
  const [failure, setFailure] = useState<string>()
  const [granting, setGranting] = useState<string>()

  async function upload(file: File) {
    setFailure(undefined)
    setProgress({ name: file.name, percent: 0 })
    try {
      const stored = await uploadMaterial(file, (percent) => setProgress({ name: file.name, percent }))
      onChange({ key: material.key, fileSha256: stored.sha256, name: stored.name })
    } catch (problem) {
      setFailure(t('apply.uploadFailed', { reason: describeError(problem, language).title }))
    } finally {
      setProgress(undefined)
    }
  }

  async function chooseLicense(choice: LicenseChoice, chosen: LicenseView) {
    setFailure(undefined)
    setGranting(chosen.id)
    try {
      onChange(await choice.use(chosen))
    } catch (problem) {
      setFailure(t('apply.grantFailed', { reason: describeError(problem, language).title }))
    } finally {
      setGranting(undefined)
    }
  }
  return { progress, failure, granting, upload, chooseLicense }
}

/**
 * One material of the application: an upload with a progress bar; for an e-license material, the
 * holder's license (authorized for this application) or, without one, an uploaded copy; otherwise a
 * "not needed" note (免提交). With `scan` (a window clerk scanning the papers handed over at the
 * counter), an e-license material may be scanned too: the applicant's wallet is not the clerk's.
 */
export function MaterialUpload({
  material,
  attached,
  error,
  license,
  scan = false,
  onChange,
}: {
  material: Material
  attached: AttachedFile | undefined
  error?: string | undefined
  license?: LicenseChoice | undefined
  scan?: boolean
  onChange: (file: AttachedFile | undefined) => void
}) {
  const t = useT()
  const { progress, failure, granting, upload, chooseLicense } = useMaterialActions(material, onChange)
  const isLicense = material.source === 'license'
  // An e-license material may be uploaded as a copy when the applicant holds no such license here.
  const uploadable = material.source === 'upload' || (isLicense && (license !== undefined || scan))
  return (
    <li className="material-row" data-testid={`material-${material.key}`}>
      <MaterialHead material={material} />
      {uploadable ? (
        <div className="material-body">
          {isLicense && license && !attached ? (
            <LicenseButtons
              licenses={license.options}
              granting={granting}
              onChoose={(held) => void chooseLicense(license, held)}
            />
          ) : null}
          {isLicense && !license && scan && !attached ? (
            <p className="result-meta material-note">{t('apply.scanLicenseCopy')}</p>
          ) : null}
          {attached && 'licenseGrantId' in attached ? null : (
            <FilePicker
              material={material}
              label={uploadLabel(t, Boolean(attached), scan, isLicense)}
              disabled={Boolean(progress)}
              onFile={(file) => void upload(file)}
            />
          )}
          {progress ? <UploadProgress material={material} progress={progress} /> : null}
          {attached && !progress ? (
            <AttachedNote attached={attached} onRemove={() => onChange(undefined)} />
          ) : null}
          {failure || error ? (
            <div className="field-error" role="alert">
              {failure ?? error}
            </div>
          ) : null}
        </div>
      ) : (
        <p className="result-meta material-note">{t(NOTES[material.source] ?? 'apply.noSubmit')}</p>
      )}
    </li>
  )
}
