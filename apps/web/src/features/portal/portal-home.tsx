import {
  ApartmentOutlined,
  EnvironmentOutlined,
  FileSearchOutlined,
  SafetyCertificateOutlined,
} from '@ant-design/icons'
import type { DepartmentView } from '@tongban/contracts'
import type { ReactNode } from 'react'
import { Link } from 'react-router'
import { endpoints, type Page } from '../../api/endpoints.ts'

/** The department list as `GET /departments` answers it (`DepartmentList` of the contracts). */
type DepartmentList = Page<DepartmentView>

import { type ApiQuery, useApiQuery } from '../../api/use-api-query.ts'
import { usePreferences, useT } from '../../app/preferences.tsx'
import { DataState } from '../../components/data-state.tsx'
import { SearchBox } from './search-box.tsx'
import { ThemeIcon } from './theme-icon.tsx'
import { companyThemes, personThemes, type Theme } from './themes.ts'

function ThemeTiles({ themes }: { themes: Theme[] }) {
  const t = useT()
  return (
    <ul className="theme-tiles">
      {themes.map((theme) => (
        <li key={theme.code}>
          <Link className="theme-tile" to={`/search?theme=${theme.code}`}>
            <ThemeIcon code={theme.code} />
            <span className="theme-label">{t(theme.label)}</span>
          </Link>
        </li>
      ))}
    </ul>
  )
}

function Section({
  id,
  title,
  icon,
  children,
}: {
  id: string
  title: string
  icon?: ReactNode
  children: ReactNode
}) {
  return (
    <section className="portal-section" aria-labelledby={id}>
      <h2 id={id} className="section-title">
        {icon ? <span aria-hidden="true">{icon} </span> : null}
        {title}
      </h2>
      {children}
    </section>
  )
}

function DepartmentBrowse({ query }: { query: ApiQuery<DepartmentList> }) {
  return (
    <DataState query={query} isEmpty={(page) => page.items.length === 0}>
      {(page) => (
        <ul className="chip-list">
          {page.items.map((department) => (
            <li key={department.id}>
              <Link to={`/search?department=${encodeURIComponent(department.id)}`}>{department.name}</Link>
            </li>
          ))}
        </ul>
      )}
    </DataState>
  )
}

/** Regions that have departments, from the same list (the API has no flat region list). */
function regionsOf(list: DepartmentList): { code: string; name: string }[] {
  const regions = new Map(list.items.map((department) => [department.regionCode, department.regionName]))
  return [...regions].map(([code, name]) => ({ code, name }))
}

function RegionBrowse({ query }: { query: ApiQuery<DepartmentList> }) {
  return (
    <DataState query={query} isEmpty={(list) => list.items.length === 0}>
      {(list) => (
        <ul className="chip-list">
          {regionsOf(list).map((region) => (
            <li key={region.code}>
              <Link to={`/search?region=${region.code}`}>{region.name}</Link>
            </li>
          ))}
        </ul>
      )}
    </DataState>
  )
}

/** The portal's home page: search, quick services, themes by life event, browse by department/region. */
export default function PortalHome() {
  const t = useT()
  const { elderly } = usePreferences()
  // One request feeds both browse sections; skipped in 长辈版, which does not show them.
  const departments = useApiQuery<DepartmentList>(elderly ? null : endpoints.departments, { limit: 100 })
  return (
    <>
      <div className="hero">
        <div className="container hero-inner">
          <h1 className="hero-title">{t('portal.heroTitle')}</h1>
          <p className="hero-subtitle">{t('portal.heroSubtitle')}</p>
          <SearchBox size="large" />
        </div>
      </div>
      <div className="container portal-body">
        <Section id="quick" title={t('portal.quickLinks')}>
          <ul className="quick-links">
            <li>
              <Link to="/progress" className="quick-link">
                <FileSearchOutlined aria-hidden="true" />
                <span>{t('nav.progress')}</span>
              </Link>
            </li>
            <li>
              <Link to="/verify" className="quick-link">
                <SafetyCertificateOutlined aria-hidden="true" />
                <span>{t('nav.verify')}</span>
              </Link>
            </li>
          </ul>
        </Section>
        <Section id="life-events" title={t('portal.lifeEvents')}>
          <ThemeTiles themes={personThemes} />
        </Section>
        <Section id="company-events" title={t('portal.companyEvents')}>
          <ThemeTiles themes={companyThemes} />
        </Section>
        {/* 长辈版 keeps the page short: browsing by department and region stays in the standard version. */}
        {elderly ? null : (
          <div className="browse-grid">
            <Section id="departments" title={t('portal.departments')} icon={<ApartmentOutlined />}>
              <DepartmentBrowse query={departments} />
            </Section>
            <Section id="regions" title={t('portal.regions')} icon={<EnvironmentOutlined />}>
              <RegionBrowse query={departments} />
            </Section>
          </div>
        )}
      </div>
    </>
  )
}
