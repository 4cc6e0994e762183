import type { CaseList, CaseView } from '@tongban/contracts'
import { Alert } from 'antd'
import { useState } from 'react'
import { Link, Route, Routes, useParams } from 'react-router'
import { endpoints } from '../../api/endpoints.ts'
import { useApiQuery } from '../../api/use-api-query.ts'
import { usePreferences, useT } from '../../app/preferences.tsx'
import { RequireLogin } from '../../auth/require-login.tsx'
import { DataState } from '../../components/data-state.tsx'
import { FormDataView } from '../../components/form-data-view.tsx'
import { NotFound } from '../../components/lazy-not-found.ts'
import { TitledSection } from '../cases/application-sections.tsx'
import { CaseOverview, useCaseGuide } from '../cases/case-overview.tsx'
import { CaseTimeline, LevelTag, StatusTag } from '../cases/case-parts.tsx'
import { CorrectionPanel } from '../cases/correction-panel.tsx'

function CaseListPage() {
  const t = useT()
  const { language } = usePreferences()
  const query = useApiQuery<CaseList>(endpoints.myCases, { limit: 50 })
  return (
    <div className="container page">
      <h1 className="page-title">{t('mycases.title')}</h1>
      <DataState query={query} isEmpty={(list) => list.items.length === 0} emptyText={t('mycases.empty')}>
        {(list) => (
          <ul className="result-list">
            {list.items.map((item) => (
              <li key={item.id} className="result-item case-row">
                <div className="search-hit-main">
                  <Link className="result-name" to={`/me/cases/${item.id}`}>
                    {item.itemName}
                  </Link>
                  <span className="result-meta">
                    {t('case.caseNo')} {item.caseNo} ·{' '}
                    {new Date(item.submittedAt).toLocaleDateString(language)}
                  </span>
                </div>
                <span className="case-row-tags">
                  <StatusTag status={item.status} />
                  <LevelTag level={item.level} />
                </span>
              </li>
            ))}
          </ul>
        )}
      </DataState>
    </div>
  )
}

function CasePage() {
  const t = useT()
  const { caseId = '' } = useParams()
  const query = useApiQuery<CaseView>(endpoints.case(caseId))
  const guide = useCaseGuide(query.data)
  const [resubmitted, setResubmitted] = useState(false)
  return (
    <div className="container page case-page">
      <DataState query={query}>
        {(data) => (
          <>
            <h1 className="page-title">{data.itemName}</h1>
            <p className="page-intro">
              {t('case.caseNo')} <strong data-testid="case-no">{data.caseNo}</strong>
            </p>
            {resubmitted ? (
              <Alert
                type="success"
                showIcon
                title={t('case.resubmitted')}
                role="status"
                className="apply-notice"
              />
            ) : null}
            <CaseOverview record={data} />
            {data.status === 'correction_requested' ? (
              <CorrectionPanel
                record={data}
                guide={guide.data}
                onDone={() => {
                  setResubmitted(true)
                  query.reload()
                }}
              />
            ) : null}
            <TitledSection id="timeline-title" title={t('case.timeline')}>
              <CaseTimeline events={data.timeline} />
            </TitledSection>
            <TitledSection id="formdata-title" title={t('case.formData')}>
              <FormDataView formData={data.formData} form={guide.data?.content.form} />
            </TitledSection>
          </>
        )}
      </DataState>
    </div>
  )
}

/** /me/cases: the applicant's cases, and one case with its timeline and correction requests. */
export default function MyCases() {
  return (
    <RequireLogin>
      <Routes>
        <Route index element={<CaseListPage />} />
        <Route path=":caseId" element={<CasePage />} />
        <Route path="*" element={<NotFound />} />
      </Routes>
    </RequireLogin>
  )
}
