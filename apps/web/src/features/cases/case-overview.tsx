import type { CaseView, PublishedGuideView } from '@tongban/contracts'
import { Descriptions } from 'antd'
import type { ReactNode } from 'react'
import { endpoints } from '../../api/endpoints.ts'
import { useApiQuery } from '../../api/use-api-query.ts'
import { usePreferences, useT } from '../../app/preferences.tsx'
import { LevelTag, StatusTag } from './case-parts.tsx'

/** 剩余 n 个工作日, or 已超期 n 个工作日 once the deadline has passed (never "剩余 -3"). */
export function DaysLeft({ days }: { days: number | null }) {
  const t = useT()
  if (days === null) return null
  return (
    <span className="result-meta">
      {' '}
      {days >= 0 ? t('case.daysLeft', { n: days }) : t('case.daysOverdue', { n: -days })}
    </span>
  )
}

/** A case's status, submission time and time limit, as both its applicant and the staff see them. */
export function CaseOverview({
  record,
  extra = [],
}: {
  record: CaseView
  extra?: { key: string; label: string; children: ReactNode }[]
}) {
  const t = useT()
  const { language } = usePreferences()
  return (
    <Descriptions
      bordered
      size="small"
      column={{ xs: 1, md: 2 }}
      className="portal-section case-overview"
      items={[
        { key: 'status', label: t('case.status'), children: <StatusTag status={record.status} /> },
        {
          key: 'submitted',
          label: t('case.submittedAt'),
          children: new Date(record.submittedAt).toLocaleString(language),
        },
        {
          key: 'deadline',
          label: t('case.deadline'),
          children: (
            <>
              {record.timeLimit.promisedDeadline ?? '—'} <LevelTag level={record.timeLimit.level} />
              <DaysLeft days={record.timeLimit.workingDaysLeft} />
            </>
          ),
        },
        ...extra,
      ]}
    />
  )
}

/** The published guide version a case was filed under (its materials' and fields' names). */
export function useCaseGuide(record: CaseView | undefined) {
  return useApiQuery<PublishedGuideView>(
    record?.implementationId && record.guideVersion
      ? endpoints.guideVersion(record.implementationId, record.guideVersion)
      : null,
  )
}
