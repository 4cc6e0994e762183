import type { SubmittedCase } from '@tongban/contracts'
import { Button, Descriptions, Result } from 'antd'
import { useState } from 'react'
import { useNavigate } from 'react-router'
import { useT } from '../../app/preferences.tsx'
import { SUBMITTED_KEY } from '../cases/form-document.ts'

type Submitted = SubmittedCase & { itemName?: string }

function readSubmitted(): Submitted | undefined {
  try {
    const raw = sessionStorage.getItem(SUBMITTED_KEY)
    return raw ? (JSON.parse(raw) as Submitted) : undefined
  } catch {
    return undefined
  }
}

/** /apply/done: the confirmation of a submission with its case number and (once) its query code. */
export default function ApplyDone() {
  const t = useT()
  const navigate = useNavigate()
  const [submitted] = useState(readSubmitted)
  if (!submitted) {
    return (
      <div className="container page narrow">
        <Result
          status="info"
          title={<h1 className="result-title">{t('apply.doneTitle')}</h1>}
          subTitle={t('apply.doneMissing')}
          extra={
            <Button type="primary" onClick={() => navigate('/me/cases')}>
              {t('mycases.title')}
            </Button>
          }
        />
      </div>
    )
  }
  return (
    <div className="container page narrow">
      <Result
        status="success"
        title={<h1 className="result-title">{t('apply.doneTitle')}</h1>}
        subTitle={t('apply.doneDetail')}
        extra={[
          <Button key="case" type="primary" onClick={() => navigate(`/me/cases/${submitted.id}`)}>
            {t('apply.viewCase')}
          </Button>,
          <Button
            key="progress"
            onClick={() => navigate(`/progress?caseNo=${encodeURIComponent(submitted.caseNo)}`)}
          >
            {t('apply.checkProgress')}
          </Button>,
        ]}
      >
        <Descriptions
          bordered
          column={1}
          items={[
            ...(submitted.itemName
              ? [{ key: 'item', label: t('case.item'), children: submitted.itemName }]
              : []),
            {
              key: 'caseNo',
              label: t('apply.caseNo'),
              children: <strong data-testid="case-no">{submitted.caseNo}</strong>,
            },
            {
              key: 'queryCode',
              label: t('apply.queryCode'),
              children: <strong data-testid="query-code">{submitted.queryCode}</strong>,
            },
          ]}
        />
      </Result>
    </div>
  )
}
