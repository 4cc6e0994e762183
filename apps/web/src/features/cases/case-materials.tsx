import { DownloadOutlined } from '@ant-design/icons'
import type { CaseView, PublishedGuideView } from '@tongban/contracts'
import { Button } from 'antd'
import { useState } from 'react'
import { downloadFile } from '../../api/download.ts'
import { endpoints } from '../../api/endpoints.ts'
import { useT } from '../../app/preferences.tsx'
import { ProblemAlert } from '../../components/problem-alert.tsx'

type CaseMaterial = { key: string; name: string; fileSha256?: string; licenseGrantId?: string }

/** 申请材料 of a case: each uploaded file can be downloaded (the download is audited). */
export function CaseMaterials({
  record,
  guide,
}: {
  record: CaseView
  guide: PublishedGuideView | undefined
}) {
  const t = useT()
  const [busy, setBusy] = useState<string>()
  const [error, setError] = useState<unknown>()
  const materials = record.materials as CaseMaterial[]
  if (materials.length === 0) return <p>{t('work.noMaterials')}</p>

  async function download(material: CaseMaterial & { fileSha256: string }) {
    setBusy(material.fileSha256)
    setError(undefined)
    try {
      await downloadFile(endpoints.caseMaterial(record.id, material.fileSha256), material.name)
    } catch (problem) {
      setError(problem)
    } finally {
      setBusy(undefined)
    }
  }

  return (
    <>
      <ul className="guide-list case-materials">
        {materials.map((m) => (
          <li
            key={`${m.key}-${m.fileSha256 ?? m.licenseGrantId ?? ''}`}
            data-testid={`case-material-${m.key}`}
          >
            <strong>{guide?.content.materials.find((g) => g.key === m.key)?.name ?? m.key}</strong>：{m.name}{' '}
            {m.fileSha256 ? (
              <Button
                size="small"
                icon={<DownloadOutlined />}
                loading={busy === m.fileSha256}
                onClick={() => void download(m as CaseMaterial & { fileSha256: string })}
              >
                {t('work.download')}
              </Button>
            ) : (
              <span className="result-meta">{t('work.materialLicense')}</span>
            )}
          </li>
        ))}
      </ul>
      <ProblemAlert error={error} />
    </>
  )
}
