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
  const { language } = usePreferences()
  const input = useRef<HTMLInputElement>(null)
  const inputId = useId()
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

  const isLicense = material.source === 'license'
  // An e-license material may be uploaded as a copy when the applicant holds no such license here.
  const uploadable = material.source === 'upload' || (isLicense && (license !== undefined || scan))
  const licenses = license?.options ?? []
  return (
    <li className="material-row" data-testid={`material-${material.key}`}>
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
      {uploadable ? (
        <div className="material-body">
          {isLicense && license && !attached ? (
            licenses.length > 0 ? (
              <div className="material-licenses">
                {licenses.map((held) => (
                  <Button
                    key={held.id}
                    type="primary"
                    ghost
                    icon={<SafetyCertificateOutlined />}
                    loading={granting === held.id}
                    onClick={() => license && void chooseLicense(license, held)}
                  >
                    {t('apply.useLicense', { name: held.typeName, no: held.licenseNo })}
                  </Button>
                ))}
              </div>
            ) : (
              <p className="result-meta material-note">{t('apply.noLicenseUploadCopy')}</p>
            )
          ) : null}
          {isLicense && !license && scan && !attached ? (
            <p className="result-meta material-note">{t('apply.scanLicenseCopy')}</p>
          ) : null}
          {attached && 'licenseGrantId' in attached ? null : (
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
                  if (file) void upload(file)
                }}
              />
              <Button
                icon={<UploadOutlined />}
                onClick={() => input.current?.click()}
                disabled={Boolean(progress)}
              >
                {attached
                  ? t('apply.replace')
                  : scan
                    ? t('apply.scanUpload')
                    : isLicense
                      ? t('apply.uploadCopy')
                      : t('apply.upload')}
              </Button>
              <span className="result-meta">{t('apply.uploadHint')}</span>
            </>
          )}
          {progress ? (
            <div className="material-progress" role="status">
              <span>{t('apply.uploading', { name: progress.name })}</span>
              <Progress
                percent={progress.percent}
                size="small"
                aria-label={progress.name}
                data-testid={`upload-progress-${material.key}`}
              />
            </div>
          ) : null}
          {attached && !progress ? (
            <div className="material-attached" data-testid={`attached-${material.key}`}>
              <CheckCircleFilled className="material-ok" aria-hidden="true" />
              <span>
                {'licenseGrantId' in attached
                  ? t('apply.licenseAttached', { name: attached.name })
                  : t('apply.uploaded', { name: attached.name })}
              </span>
              <Button type="link" size="small" onClick={() => onChange(undefined)}>
                {t('apply.remove')}
              </Button>
            </div>
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
