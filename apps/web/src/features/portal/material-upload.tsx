import { CheckCircleFilled, UploadOutlined } from '@ant-design/icons'
import type { PublishedGuideView } from '@tongban/contracts'
import { Button, Progress, Tag } from 'antd'
import { useId, useRef, useState } from 'react'
import { describeError } from '../../api/client.ts'
import { uploadMaterial } from '../../api/upload.ts'
import { usePreferences, useT } from '../../app/preferences.tsx'
import type { MessageKey } from '../../i18n/i18n.ts'

type Material = PublishedGuideView['content']['materials'][number]

/** A material as it will be sent: an uploaded file by its SHA-256. */
export interface AttachedFile {
  key: string
  fileSha256: string
  name: string
}

const NOTES: Record<string, MessageKey> = {
  shared: 'apply.sharedNote',
  department: 'apply.departmentNote',
  license: 'apply.licenseNote',
}

/** One material of the application: an upload with a progress bar, or a "not needed" note (免提交). */
export function MaterialUpload({
  material,
  attached,
  error,
  onChange,
}: {
  material: Material
  attached: AttachedFile | undefined
  error?: string | undefined
  onChange: (file: AttachedFile | undefined) => void
}) {
  const t = useT()
  const { language } = usePreferences()
  const input = useRef<HTMLInputElement>(null)
  const inputId = useId()
  const [progress, setProgress] = useState<{ name: string; percent: number }>()
  const [failure, setFailure] = useState<string>()

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

  const needed = material.source === 'upload'
  return (
    <li className="material-row" data-testid={`material-${material.key}`}>
      <div className="material-head">
        <span className="material-name">{material.name}</span>
        <Tag color={material.required ? 'red' : 'default'}>
          {material.required ? t('apply.requiredMaterial') : t('apply.optionalMaterial')}
        </Tag>
        {needed ? null : (
          <Tag color="green">
            {t('apply.noSubmit')} · {t(`guide.source.${material.source}` as MessageKey)}
          </Tag>
        )}
      </div>
      {needed ? (
        <div className="material-body">
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
            {attached ? t('apply.replace') : t('apply.upload')}
          </Button>
          <span className="result-meta">{t('apply.uploadHint')}</span>
          {progress ? (
            <div className="material-progress" role="status">
              <span>{t('apply.uploading', { name: progress.name })}</span>
              <Progress percent={progress.percent} size="small" aria-label={progress.name} />
            </div>
          ) : null}
          {attached && !progress ? (
            <div className="material-attached">
              <CheckCircleFilled className="material-ok" aria-hidden="true" />
              <span>{t('apply.uploaded', { name: attached.name })}</span>
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
