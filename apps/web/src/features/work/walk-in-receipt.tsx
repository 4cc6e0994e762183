import { PrinterOutlined, UserAddOutlined } from '@ant-design/icons'
import type { WalkInReceipt } from '@tongban/contracts'
import { Alert, Button, Descriptions, Grid } from 'antd'
import { useEffect } from 'react'
import { Link } from 'react-router'
import { usePreferences, useT } from '../../app/preferences.tsx'
import { StatusTag } from '../cases/case-parts.tsx'

/**
 * 受理回执: what the clerk prints and hands to the applicant — the case number and the query code (shown
 * here once, nowhere else), the item, the department, the applicant (masked), deadlines, the materials
 * received and the clerk. Printing shows only this receipt (walk-in.css).
 */
export function WalkInReceiptView({
  receipt,
  materialNames,
  onNext,
}: {
  receipt: WalkInReceipt
  /** The guide's names of the materials by key (the receipt carries the names of the files received). */
  materialNames: Record<string, string>
  onNext: () => void
}) {
  const t = useT()
  const { language } = usePreferences()
  const { applicant } = receipt
  const accepted = receipt.acceptedAt !== null
  // on a phone each fact's name goes above it: two narrow columns would break every word
  const wide = Grid.useBreakpoint().sm !== false
  const agentAccountCreated = Boolean(
    applicant.agent && 'accountCreated' in applicant.agent && applicant.agent.accountCreated,
  )
  // while the receipt is shown, printing the page prints the receipt alone (walk-in.css)
  useEffect(() => {
    document.body.classList.add('walk-in-receipt-shown')
    return () => document.body.classList.remove('walk-in-receipt-shown')
  }, [])
  return (
    <>
      <section
        className="walk-in-receipt"
        aria-labelledby="walk-in-receipt-title"
        data-testid="walk-in-receipt"
      >
        <header className="walk-in-receipt-head">
          <p className="walk-in-receipt-department">{receipt.departmentName}</p>
          <h1 id="walk-in-receipt-title" className="page-title">
            {accepted ? t('walkIn.receipt.title') : t('walkIn.receipt.titleSubmitted')}
          </h1>
        </header>
        <div className="walk-in-codes">
          <div className="walk-in-code">
            <span className="walk-in-code-label">{t('apply.caseNo')}</span>
            <strong className="walk-in-code-value" data-testid="case-no">
              {receipt.caseNo}
            </strong>
          </div>
          <div className="walk-in-code walk-in-query-code">
            <span className="walk-in-code-label">{t('apply.queryCode')}</span>
            <strong className="walk-in-code-value" data-testid="query-code">
              {receipt.queryCode}
            </strong>
          </div>
        </div>
        <Alert
          className="walk-in-once no-print"
          type="warning"
          showIcon
          title={t('walkIn.receipt.queryCodeOnce')}
        />
        <p className="walk-in-print-note">{t('walkIn.receipt.progressNote')}</p>
        <Descriptions
          bordered
          column={1}
          size="small"
          layout={wide ? 'horizontal' : 'vertical'}
          className="walk-in-receipt-facts"
          items={[
            { key: 'item', label: t('case.item'), children: receipt.itemName },
            { key: 'department', label: t('walkIn.receipt.department'), children: receipt.departmentName },
            {
              key: 'status',
              label: t('case.status'),
              children: <StatusTag status={receipt.status} />,
            },
            {
              key: 'applicant',
              label:
                applicant.kind === 'company' ? t('walkIn.receipt.company') : t('walkIn.receipt.applicant'),
              children: (
                <span data-testid="receipt-applicant">
                  {applicant.name}（{applicant.maskedId}）
                </span>
              ),
            },
            ...(applicant.agent
              ? [
                  {
                    key: 'agent',
                    label: t('walkIn.receipt.agent'),
                    children: `${applicant.agent.name}（${applicant.agent.maskedId}）`,
                  },
                ]
              : []),
            {
              key: 'acceptedAt',
              label: t('walkIn.receipt.acceptedAt'),
              children: receipt.acceptedAt
                ? new Date(receipt.acceptedAt).toLocaleString(language)
                : t('walkIn.receipt.notAccepted'),
            },
            {
              key: 'promised',
              label: t('walkIn.receipt.promisedDeadline'),
              children: receipt.promisedDeadline ?? t('walkIn.receipt.deadlineUnknown'),
            },
            {
              key: 'legal',
              label: t('walkIn.receipt.legalDeadline'),
              children: receipt.legalDeadline ?? t('walkIn.receipt.deadlineUnknown'),
            },
            {
              key: 'materials',
              label: t('walkIn.receipt.materials'),
              children:
                receipt.materials.length > 0 ? (
                  <ol className="walk-in-receipt-materials">
                    {receipt.materials.map((material) => {
                      const named = materialNames[material.key]
                      return (
                        <li key={`${material.key}-${material.name}`}>
                          {named && named !== material.name ? `${named}（${material.name}）` : material.name}
                        </li>
                      )
                    })}
                  </ol>
                ) : (
                  t('work.noMaterials')
                ),
            },
            { key: 'clerk', label: t('walkIn.receipt.clerk'), children: receipt.clerk.name },
          ]}
        />
        {applicant.accountCreated ? (
          <p className="walk-in-print-note">{t('walkIn.receipt.accountCreated')}</p>
        ) : null}
        {agentAccountCreated ? (
          <p className="walk-in-print-note">{t('walkIn.receipt.agentAccountCreated')}</p>
        ) : null}
      </section>
      <div className="form-actions walk-in-actions no-print">
        <Button type="primary" size="large" icon={<PrinterOutlined />} onClick={() => window.print()}>
          {t('walkIn.receipt.print')}
        </Button>
        <Button size="large" icon={<UserAddOutlined />} onClick={onNext}>
          {t('walkIn.receipt.next')}
        </Button>
        <Link className="walk-in-case-link" to={`/work/cases/${receipt.id}`}>
          {t('walkIn.receipt.openCase')}
        </Link>
      </div>
    </>
  )
}
