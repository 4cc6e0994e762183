import type { CalendarAdditionView } from '@tongban/contracts'
import { Alert, Button, Form, Input, InputNumber, Segmented, Table, Tag } from 'antd'
import { useState } from 'react'
import { apiFetch } from '../../api/client.ts'
import { endpoints } from '../../api/endpoints.ts'
import { applyProblemToForm } from '../../api/form-errors.ts'
import { useApiQuery } from '../../api/use-api-query.ts'
import { usePreferences, useT } from '../../app/preferences.tsx'
import { DataState } from '../../components/data-state.tsx'
import { ProblemAlert } from '../../components/problem-alert.tsx'
import type { MessageKey } from '../../i18n/i18n.ts'

interface CalendarAdditions {
  items: CalendarAdditionView[]
  coveredYears: number[]
}

type Kind = 'holiday' | 'workday' | 'year'

interface AdditionValues {
  date?: string
  name?: string
  year?: number
}

/**
 * 工作日历: the statutory holidays and make-up working days (调休) the time limits count with. A
 * province-level system admin adds a holiday or working day, or declares a year fully entered.
 */
export function CalendarSection() {
  const t = useT()
  const { language } = usePreferences()
  const query = useApiQuery<CalendarAdditions>(endpoints.calendarAdditions)
  const [form] = Form.useForm<AdditionValues>()
  const [kind, setKind] = useState<Kind>('holiday')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>()
  const [added, setAdded] = useState<string>()

  async function add(values: AdditionValues) {
    setBusy(true)
    setError(undefined)
    setAdded(undefined)
    try {
      const body =
        kind === 'year'
          ? { kind, year: values.year }
          : { kind, date: values.date, ...(values.name?.trim() ? { name: values.name.trim() } : {}) }
      const saved = await apiFetch<CalendarAdditionView>(endpoints.calendarAdditions, {
        method: 'POST',
        body,
      })
      setAdded(saved.date ?? String(saved.year ?? ''))
      form.resetFields()
      query.reload()
    } catch (problem) {
      const { applied } = applyProblemToForm(form, problem, language)
      if (applied.length === 0) setError(problem)
    } finally {
      setBusy(false)
    }
  }

  return (
    <>
      <h1 className="page-title">{t('admin.calendar.title')}</h1>
      <p className="page-intro">{t('admin.calendar.intro')}</p>
      <section className="panel admin-form" aria-labelledby="calendar-add">
        <h2 id="calendar-add" className="section-title">
          {t('admin.calendar.add')}
        </h2>
        <Segmented<Kind>
          value={kind}
          onChange={(next) => {
            setKind(next)
            form.resetFields()
            setError(undefined)
          }}
          options={(['holiday', 'workday', 'year'] as const).map((k) => ({
            value: k,
            label: t(`admin.calendar.kind.${k}` as MessageKey),
          }))}
        />
        <Form form={form} layout="vertical" onFinish={add} className="admin-form-body">
          {kind === 'year' ? (
            <Form.Item
              name="year"
              label={t('admin.calendar.year')}
              rules={[{ required: true, message: t('admin.required.year') }]}
              extra={t('admin.calendar.yearHint')}
            >
              <InputNumber min={2000} max={2100} precision={0} className="admin-input-code" />
            </Form.Item>
          ) : (
            <>
              <Form.Item
                name="date"
                label={t('admin.calendar.date')}
                rules={[{ required: true, message: t('admin.required.date') }]}
              >
                <Input type="date" className="admin-input-date" />
              </Form.Item>
              <Form.Item name="name" label={t('admin.calendar.name')}>
                <Input maxLength={60} placeholder={t('admin.calendar.namePlaceholder')} />
              </Form.Item>
            </>
          )}
          <Button type="primary" htmlType="submit" loading={busy}>
            {t('admin.calendar.submit')}
          </Button>
        </Form>
        <div className="page-feedback" aria-live="polite">
          {added ? (
            <Alert type="success" showIcon role="status" title={t('admin.calendar.added', { date: added })} />
          ) : null}
          <ProblemAlert error={error} />
        </div>
      </section>
      <DataState query={query}>
        {(data) => (
          <section className="portal-section" aria-labelledby="calendar-list">
            <h2 id="calendar-list" className="section-title">
              {t('admin.calendar.list')}
            </h2>
            <p>
              {t('admin.calendar.covered')}{' '}
              {data.coveredYears.length > 0
                ? data.coveredYears.map((year) => (
                    <Tag key={year} color="blue">
                      {year}
                    </Tag>
                  ))
                : '—'}
            </p>
            <Table<CalendarAdditionView>
              rowKey="id"
              size="small"
              pagination={{ pageSize: 20, hideOnSinglePage: true }}
              dataSource={data.items}
              locale={{ emptyText: t('admin.calendar.none') }}
              columns={[
                {
                  title: t('admin.calendar.kindLabel'),
                  key: 'kind',
                  render: (_, a) => t(`admin.calendar.kind.${a.kind}` as MessageKey) ?? a.kind,
                },
                { title: t('admin.calendar.date'), key: 'date', render: (_, a) => a.date ?? a.year ?? '—' },
                { title: t('admin.calendar.name'), key: 'name', render: (_, a) => a.name ?? '' },
                {
                  title: t('admin.calendar.addedAt'),
                  key: 'at',
                  render: (_, a) => new Date(a.createdAt).toLocaleString(language),
                },
              ]}
            />
          </section>
        )}
      </DataState>
    </>
  )
}
