import type { DepartmentView, SearchResult } from '@tongban/contracts'
import { Checkbox, Pagination, Select, Tag } from 'antd'
import { useEffect } from 'react'
import { Link, useSearchParams } from 'react-router'
import { endpoints, type Page } from '../../api/endpoints.ts'
import { useApiQuery } from '../../api/use-api-query.ts'
import { useT } from '../../app/preferences.tsx'
import { DataState } from '../../components/data-state.tsx'
import { allThemes, themesByCode } from './themes.ts'

const PAGE_SIZE = 20

/** Regions that have departments, from the department list (the API has no flat region list). */
function regionsOf(departments: DepartmentView[]): { code: string; name: string }[] {
  const regions = new Map(departments.map((department) => [department.regionCode, department.regionName]))
  return [...regions].map(([code, name]) => ({ code, name })).sort((a, b) => a.code.localeCompare(b.code))
}

/** /search: service items by keyword with region, department, audience, theme and online-only filters. */
export default function SearchPage() {
  const t = useT()
  const [params, setParams] = useSearchParams()
  const q = params.get('q') ?? ''
  const theme = themesByCode.get(params.get('theme') ?? '')
  const region = params.get('region') ?? undefined
  const department = params.get('department') ?? undefined
  const audience = params.get('audience') ?? undefined
  const onlineOnly = params.get('online') === '1'
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1)
  // Fetch the guide page's code while the user reads the results, so opening a guide is instant.
  useEffect(() => {
    void import('./guide-page.tsx')
  }, [])
  const departments = useApiQuery<Page<DepartmentView>>(endpoints.departments, { limit: 200 })
  const query = useApiQuery<SearchResult>(endpoints.catalogSearch, {
    q: q || undefined,
    theme: theme?.code,
    region,
    department,
    audience,
    onlineOnly: onlineOnly || undefined,
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  })

  /** Changes one filter in the URL (so results can be bookmarked and shared), back to page 1. */
  function setFilter(name: string, value: string | undefined) {
    const next = new URLSearchParams(params)
    if (value) next.set(name, value)
    else next.delete(name)
    if (name !== 'page') next.delete('page')
    setParams(next)
  }

  const departmentList = departments.data?.items ?? []
  const heading = q
    ? t('search.resultsFor', { q })
    : theme
      ? t('search.themeResults', { theme: t(theme.label) })
      : t('search.title')
  const anyFilter = Boolean(theme || region || department || audience || onlineOnly)

  return (
    <div className="container page">
      <h1 className="page-title">{heading}</h1>
      <section className="search-filters panel" aria-label={t('search.filters')}>
        <div className="filter">
          <span>{t('search.region')}</span>
          <Select
            allowClear
            placeholder={t('search.any')}
            value={region}
            loading={departments.loading}
            options={regionsOf(departmentList).map((r) => ({ value: r.code, label: r.name }))}
            onChange={(value?: string) => setFilter('region', value)}
            aria-label={t('search.region')}
          />
        </div>
        <div className="filter">
          <span>{t('search.department')}</span>
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('search.any')}
            value={department}
            loading={departments.loading}
            options={departmentList
              .filter((d) => !region || d.regionCode === region)
              .map((d) => ({ value: d.id, label: d.name }))}
            onChange={(value?: string) => setFilter('department', value)}
            aria-label={t('search.department')}
          />
        </div>
        <div className="filter">
          <span>{t('search.audience')}</span>
          <Select
            allowClear
            placeholder={t('search.any')}
            value={audience}
            options={[
              { value: 'person', label: t('search.audience.person') },
              { value: 'company', label: t('search.audience.company') },
            ]}
            onChange={(value?: string) => setFilter('audience', value)}
            aria-label={t('search.audience')}
          />
        </div>
        <div className="filter">
          <span>{t('search.theme')}</span>
          <Select
            allowClear
            placeholder={t('search.any')}
            value={theme?.code}
            options={allThemes.map((th) => ({ value: th.code, label: t(th.label) }))}
            onChange={(value?: string) => setFilter('theme', value)}
            aria-label={t('search.theme')}
          />
        </div>
        <Checkbox
          checked={onlineOnly}
          onChange={(e) => setFilter('online', e.target.checked ? '1' : undefined)}
        >
          {t('search.onlineOnly')}
        </Checkbox>
        {anyFilter ? (
          <Link to={q ? `/search?q=${encodeURIComponent(q)}` : '/search'}>{t('search.clearFilters')}</Link>
        ) : null}
      </section>
      <DataState query={query} isEmpty={(result) => result.items.length === 0} emptyText={t('search.empty')}>
        {(result) => (
          <>
            <p className="result-total" aria-live="polite">
              {t('search.total', { total: result.total })}
            </p>
            <ul className="result-list">
              {result.items.map((hit) => (
                <li key={hit.implementationId} className="result-item search-hit">
                  <div className="search-hit-main">
                    <Link className="result-name" to={`/items/${hit.implementationId}`}>
                      {hit.name}
                    </Link>
                    <span className="result-meta">{hit.departmentName}</span>
                    <span className="search-hit-tags">
                      {hit.visits === 0 ? (
                        <Tag color="green">{t('search.visits0')}</Tag>
                      ) : (
                        <Tag>{t('search.visitsN', { n: hit.visits })}</Tag>
                      )}
                      <Tag>{t('search.onlineDepth', { n: hit.onlineDepth })}</Tag>
                      {hit.audience.map((a) => (
                        <Tag key={a} color="blue">
                          {a === 'company' ? t('search.audience.company') : t('search.audience.person')}
                        </Tag>
                      ))}
                    </span>
                  </div>
                  <Link className="search-hit-action" to={`/items/${hit.implementationId}`}>
                    {t('search.viewGuide')}
                  </Link>
                </li>
              ))}
            </ul>
            {result.total > PAGE_SIZE ? (
              <Pagination
                className="search-pagination"
                current={page}
                pageSize={PAGE_SIZE}
                total={Math.min(result.total, 1000)}
                showSizeChanger={false}
                onChange={(next) => setFilter('page', String(next))}
              />
            ) : null}
          </>
        )}
      </DataState>
    </div>
  )
}
