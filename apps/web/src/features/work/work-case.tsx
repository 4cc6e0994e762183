import type { CaseView, StaffMove } from '@tongban/contracts'
import { Alert } from 'antd'
import { useState } from 'react'
import { Link, useParams } from 'react-router'
import { endpoints } from '../../api/endpoints.ts'
import { useApiQuery } from '../../api/use-api-query.ts'
import { useT } from '../../app/preferences.tsx'
import { DataState } from '../../components/data-state.tsx'
import { FormDataView } from '../../components/form-data-view.tsx'
import { TitledSection } from '../cases/application-sections.tsx'
import { CaseMaterials } from '../cases/case-materials.tsx'
import { CaseOverview, useCaseGuide } from '../cases/case-overview.tsx'
import { CaseTimeline, moveLabel } from '../cases/case-parts.tsx'
import { MovePanel } from '../cases/move-panel.tsx'
import { TaskPanel } from '../cases/task-panel.tsx'

/** /work/cases/:caseId: a case with its tasks, the moves the caller may make, materials and timeline. */
export default function WorkCasePage() {
  const t = useT()
  const { caseId = '' } = useParams()
  const query = useApiQuery<CaseView>(endpoints.case(caseId))
  const guide = useCaseGuide(query.data)
  const [done, setDone] = useState<StaffMove>()
  return (
    <DataState query={query}>
      {(data) => (
        <div className="case-page">
          <p>
            <Link to="/work">{t('work.backToQueue')}</Link>
          </p>
          <h1 className="page-title">{t('work.caseTitle', { caseNo: data.caseNo })}</h1>
          <p className="page-intro">{data.itemName}</p>
          {done ? (
            <Alert
              type="success"
              showIcon
              role="status"
              className="apply-notice"
              title={t('work.moveDone', { move: moveLabel(t, done) })}
            />
          ) : null}
          <CaseOverview record={data} />
          <TaskPanel key={data.version} caseId={data.id} />
          <MovePanel
            record={data}
            guide={guide.data}
            onMoved={(move) => {
              setDone(move)
              query.reload()
            }}
          />
          <TitledSection id="applicant-title" title={t('work.applicant')}>
            <FormDataView formData={data.formData} form={guide.data?.content.form} />
          </TitledSection>
          <TitledSection id="materials-title" title={t('work.materials')}>
            <CaseMaterials record={data} guide={guide.data} />
          </TitledSection>
          <TitledSection id="timeline-title" title={t('case.timeline')}>
            <CaseTimeline events={data.timeline} />
          </TitledSection>
        </div>
      )}
    </DataState>
  )
}
