import type { PublishedGuideView } from '@tongban/contracts'
import { Button, Descriptions, Table, Tag } from 'antd'
import type { ReactNode } from 'react'
import { useNavigate, useParams } from 'react-router'
import { endpoints } from '../../api/endpoints.ts'
import { useApiQuery } from '../../api/use-api-query.ts'
import { usePreferences, useT } from '../../app/preferences.tsx'
import { DataState } from '../../components/data-state.tsx'
import { type MessageKey, pickLocalized } from '../../i18n/i18n.ts'

type Material = PublishedGuideView['content']['materials'][number]
type Channel = PublishedGuideView['content']['channels'][number]

const SOURCE_COLOURS: Record<string, string> = {
  upload: 'default',
  license: 'green',
  shared: 'cyan',
  department: 'purple',
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="portal-section guide-section" aria-labelledby={id}>
      <h2 id={id} className="section-title">
        {title}
      </h2>
      {children}
    </section>
  )
}

/** Whether the guide can be applied for on this platform (an online channel and depth ≥ 3). */
export function canApplyOnline(guide: PublishedGuideView): boolean {
  return guide.content.onlineDepth >= 3 && guide.content.channels.some((c) => c.kind === 'online')
}

function GuideBody({ guide }: { guide: PublishedGuideView }) {
  const t = useT()
  const { language } = usePreferences()
  const navigate = useNavigate()
  const { content } = guide
  const days = (n: number) => (n === 0 ? t('guide.immediate') : t('guide.workingDays', { n }))
  const online = canApplyOnline(guide)
  const materialColumns = [
    { title: t('guide.material.name'), dataIndex: 'name', key: 'name' },
    {
      title: t('guide.material.source'),
      key: 'source',
      render: (_: unknown, m: Material) => (
        <Tag color={SOURCE_COLOURS[m.source]} data-testid={`material-source-${m.key}`}>
          {t(`guide.source.${m.source}` as MessageKey)}
        </Tag>
      ),
    },
    {
      title: t('guide.material.form'),
      key: 'form',
      render: (_: unknown, m: Material) => t(`guide.form.${m.form}` as MessageKey),
    },
    { title: t('guide.material.copies'), dataIndex: 'copies', key: 'copies' },
    {
      title: t('guide.material.required'),
      key: 'required',
      render: (_: unknown, m: Material) => (m.required ? t('guide.yes') : t('guide.no')),
    },
    { title: t('guide.material.note'), key: 'note', render: (_: unknown, m: Material) => m.note ?? '' },
  ]
  return (
    <div className="container page guide-page">
      <div className="guide-head panel">
        <div>
          <h1 className="page-title">{guide.name}</h1>
          <p className="page-intro">
            {guide.departmentName} · {guide.regionName} · {pickLocalized(guide.typeName, language)}
          </p>
          <dl className="guide-facts">
            <div>
              <dt>{t('guide.legalLimit')}</dt>
              <dd data-testid="legal-limit">{days(content.legalLimit)}</dd>
            </div>
            <div>
              <dt>{t('guide.promisedLimit')}</dt>
              <dd data-testid="promised-limit">{days(content.promisedLimit)}</dd>
            </div>
            <div>
              <dt>{t('guide.visits')}</dt>
              <dd data-testid="visits">{t('guide.visitsValue', { n: content.visits })}</dd>
            </div>
            <div>
              <dt>{t('guide.fees')}</dt>
              <dd>
                {content.fees.free || content.fees.items.length === 0
                  ? t('guide.free')
                  : content.fees.items
                      .map((fee) => `${fee.name} ${t('guide.feeAmount', { amount: fee.amount })}`)
                      .join('；')}
              </dd>
            </div>
          </dl>
        </div>
        <div className="guide-apply">
          {online ? (
            <Button
              type="primary"
              size="large"
              onClick={() => navigate(`/items/${guide.implementationId}/apply`)}
            >
              {t('guide.applyOnline')}
            </Button>
          ) : (
            <p className="page-intro">{t('guide.notOnline')}</p>
          )}
        </div>
      </div>

      <Section id="guide-basic" title={t('guide.basic')}>
        <Descriptions
          bordered
          size="small"
          column={{ xs: 1, sm: 1, md: 2 }}
          items={[
            { key: 'code', label: t('guide.itemCode'), children: guide.itemCode },
            { key: 'impl', label: t('guide.implementationCode'), children: guide.implementationCode },
            { key: 'type', label: t('guide.itemType'), children: pickLocalized(guide.typeName, language) },
            { key: 'dept', label: t('guide.department'), children: guide.departmentName },
            { key: 'region', label: t('guide.region'), children: guide.regionName },
            {
              key: 'kind',
              label: t('guide.kind'),
              children: t(content.kind === 'immediate' ? 'guide.kind.immediate' : 'guide.kind.promised'),
            },
            { key: 'legal', label: t('guide.legalLimit'), children: days(content.legalLimit) },
            { key: 'promised', label: t('guide.promisedLimit'), children: days(content.promisedLimit) },
            {
              key: 'visits',
              label: t('guide.visits'),
              children: t('guide.visitsValue', { n: content.visits }),
            },
            {
              key: 'depth',
              label: t('guide.onlineDepth'),
              children: t('guide.onlineDepthValue', { n: content.onlineDepth }),
            },
            {
              key: 'audience',
              label: t('guide.audience'),
              children: guide.audience
                .map((a) => (a === 'company' ? t('search.audience.company') : t('search.audience.person')))
                .join('、'),
            },
            { key: 'result', label: t('guide.result'), children: content.result || '—' },
          ]}
        />
        {content.conditions ? (
          <>
            <h3 className="guide-subtitle">{t('guide.conditions')}</h3>
            <p className="guide-text">{content.conditions}</p>
          </>
        ) : null}
        {content.procedure.length > 0 ? (
          <>
            <h3 className="guide-subtitle">{t('guide.procedure')}</h3>
            <ol className="guide-procedure">
              {content.procedure.map((step) => (
                <li key={step}>{step}</li>
              ))}
            </ol>
          </>
        ) : null}
      </Section>

      <Section id="guide-materials" title={t('guide.materials')}>
        <Table
          className="guide-materials"
          rowKey="key"
          size="small"
          pagination={false}
          columns={materialColumns}
          dataSource={content.materials}
          scroll={{ x: 'max-content' }}
        />
      </Section>

      <Section id="guide-fees" title={t('guide.fees')}>
        {content.fees.free || content.fees.items.length === 0 ? (
          <p>{t('guide.free')}</p>
        ) : (
          <ul className="guide-list">
            {content.fees.items.map((fee) => (
              <li key={fee.name}>
                <strong>{fee.name}</strong> {t('guide.feeAmount', { amount: fee.amount })}
                <div className="result-meta">{t('guide.feeBasis', { basis: fee.basis })}</div>
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section id="guide-channels" title={t('guide.channels')}>
        <ul className="guide-list">
          {content.channels.map((channel: Channel) => (
            <li key={`${channel.kind}-${channel.name}`}>
              <Tag>{t(`guide.channel.${channel.kind}` as MessageKey)}</Tag> <strong>{channel.name}</strong>
              {channel.address ? (
                <div className="result-meta">{t('guide.channel.address', { address: channel.address })}</div>
              ) : null}
              {channel.hours ? (
                <div className="result-meta">{t('guide.channel.hours', { hours: channel.hours })}</div>
              ) : null}
            </li>
          ))}
        </ul>
      </Section>

      <Section id="guide-contact" title={t('guide.contact')}>
        <Descriptions
          bordered
          size="small"
          column={1}
          items={[
            {
              key: 'consult',
              label: t('guide.consultationPhone'),
              children: <a href={`tel:${content.consultationPhone}`}>{content.consultationPhone}</a>,
            },
            {
              key: 'complaint',
              label: t('guide.complaintPhone'),
              children: <a href={`tel:${content.complaintPhone}`}>{content.complaintPhone}</a>,
            },
          ]}
        />
      </Section>

      <Section id="guide-legal" title={t('guide.legalBasis')}>
        <p className="guide-text">{guide.legalBasis}</p>
        {guide.localNotes ? (
          <>
            <h3 className="guide-subtitle">{t('guide.localNotes')}</h3>
            <p className="guide-text">{guide.localNotes}</p>
          </>
        ) : null}
        <p className="result-meta">
          {t('guide.version', {
            version: guide.version,
            date: new Date(guide.publishedAt).toLocaleDateString(language),
          })}
        </p>
      </Section>
    </div>
  )
}

/** /items/:implementationId: the published 办事指南 of one implementation, with "在线办理". */
export default function GuidePage() {
  const { implementationId = '' } = useParams()
  const query = useApiQuery<PublishedGuideView>(endpoints.guide(implementationId))
  return <DataState query={query}>{(guide) => <GuideBody guide={guide} />}</DataState>
}
