import type { DepartmentView, SearchResult } from '@tongban/contracts'
import { getRegion } from '@tongban/standards/pure'
import { Button, Input, Select, Tag } from 'antd'
import { useState } from 'react'
import { endpoints } from '../../api/endpoints.ts'
import { useApiQuery } from '../../api/use-api-query.ts'
import { useT } from '../../app/preferences.tsx'
import { DataState } from '../../components/data-state.tsx'
import { inScope, type ServiceScope, scopeQuery } from './walk-in.ts'

const PAGE_SIZE = 20

/** One service found by the catalog search. */
export type SearchHit = SearchResult['items'][number]

/** The name of a scope: its department's, or "all services of <region>". */
function ScopeName({ scope }: { scope: ServiceScope }) {
  const t = useT()
  const department = useApiQuery<DepartmentView>(
    scope.kind === 'department' ? endpoints.department(scope.departmentId) : null,
  )
  if (scope.kind === 'region') {
    return <>{t('walkIn.scope.region', { region: getRegion(scope.regionCode)?.name ?? scope.regionCode })}</>
  }
  return <>{department.data?.name ?? t('walkIn.scope.ownDepartment')}</>
}

/**
 * Step 1 of 一窗受理: the services the clerk's window takes — the published implementations of their
 * department, or of their region for a region-wide grant — found by keyword, and one chosen.
 */
export function ServicePicker({
  scopes,
  chosen,
  onChoose,
}: {
  scopes: ServiceScope[]
  chosen: SearchHit | undefined
  onChoose: (hit: SearchHit) => void
}) {
  const t = useT()
  const [scopeKey, setScopeKey] = useState(scopes[0]?.key)
  const [q, setQ] = useState('')
  const [page, setPage] = useState(1)
  const scope = scopes.find((candidate) => candidate.key === scopeKey) ?? scopes[0]
  const query = useApiQuery<SearchResult>(scope ? endpoints.catalogSearch : null, {
    ...(scope ? scopeQuery(scope) : {}),
    q: q || undefined,
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  })
  // a region's search also lists the items of the regions above it, which its clerks do not take
  const hits = (result: SearchResult) => result.items.filter((hit) => scope && inScope(scope, hit))

  return (
    <div className="walk-in-picker">
      <div className="walk-in-picker-bar">
        {scopes.length > 1 ? (
          <Select
            className="walk-in-scope"
            value={scope?.key}
            aria-label={t('walkIn.scope.label')}
            options={scopes.map((option) => ({ value: option.key, label: <ScopeName scope={option} /> }))}
            onChange={(next: string) => {
              setScopeKey(next)
              setPage(1)
            }}
          />
        ) : scope ? (
          <p className="walk-in-scope-name">
            <span className="result-meta">{t('walkIn.scope.label')}：</span>
            <ScopeName scope={scope} />
          </p>
        ) : null}
        <Input.Search
          className="walk-in-search"
          allowClear
          enterButton={t('walkIn.search')}
          placeholder={t('walkIn.searchPlaceholder')}
          aria-label={t('walkIn.searchLabel')}
          onSearch={(value) => {
            setQ(value.trim())
            setPage(1)
          }}
        />
      </div>
      {scope ? (
        <DataState
          query={query}
          isEmpty={(result) => hits(result).length === 0}
          emptyText={q ? t('walkIn.noServiceFor', { q }) : t('walkIn.noService')}
        >
          {(result) => (
            <>
              <ul className="result-list walk-in-services">
                {hits(result).map((hit) => {
                  const selected = chosen?.implementationId === hit.implementationId
                  return (
                    <li
                      key={hit.implementationId}
                      className={
                        selected ? 'result-item search-hit walk-in-chosen' : 'result-item search-hit'
                      }
                      data-testid="walk-in-service"
                    >
                      <div className="search-hit-main">
                        <span className="result-name">{hit.name}</span>
                        <span className="result-meta">
                          {hit.departmentName} · {hit.itemCode}
                        </span>
                        <span className="search-hit-tags">
                          {hit.audience.map((a) => (
                            <Tag key={a} color="blue">
                              {a === 'company' ? t('search.audience.company') : t('search.audience.person')}
                            </Tag>
                          ))}
                        </span>
                      </div>
                      <Button
                        type={selected ? 'primary' : 'default'}
                        onClick={() => onChoose(hit)}
                        aria-label={t('walkIn.chooseService', { name: hit.name })}
                      >
                        {selected ? t('walkIn.chosen') : t('walkIn.choose')}
                      </Button>
                    </li>
                  )
                })}
              </ul>
              {result.total > PAGE_SIZE ? (
                <div className="form-actions walk-in-pager">
                  <Button disabled={page === 1} onClick={() => setPage(page - 1)}>
                    {t('walkIn.previousPage')}
                  </Button>
                  <Button disabled={result.total <= page * PAGE_SIZE} onClick={() => setPage(page + 1)}>
                    {t('walkIn.nextPage')}
                  </Button>
                </div>
              ) : null}
            </>
          )}
        </DataState>
      ) : (
        <p className="result-meta">{t('walkIn.noService')}</p>
      )}
    </div>
  )
}
