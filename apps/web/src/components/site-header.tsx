import { MenuOutlined } from '@ant-design/icons'
import { Button } from 'antd'
import { lazy, type ReactNode, Suspense, useState } from 'react'
import { Link, NavLink } from 'react-router'
import { useT } from '../app/preferences.tsx'
import { useAuth } from '../auth/use-auth.ts'
import type { MessageKey } from '../i18n/i18n.ts'
import { PreferenceControls } from './preference-controls.tsx'
import { UserMenu } from './user-menu.tsx'

interface NavItem {
  to: string
  label: MessageKey
  staffOnly?: boolean
  /** Only for staff holding an administrator role (the console has nothing for the others). */
  adminOnly?: boolean
  citizenOnly?: boolean
}

const ADMIN_ROLES = ['department_admin', 'system_admin', 'security_admin', 'audit_admin']

const MobileNav = lazy(() => import('./mobile-nav.tsx'))

const NAV: NavItem[] = [
  { to: '/', label: 'nav.home' },
  { to: '/search', label: 'nav.services' },
  { to: '/progress', label: 'nav.progress' },
  { to: '/verify', label: 'nav.verify' },
  { to: '/me/cases', label: 'nav.myCases', citizenOnly: true },
  { to: '/me/licenses', label: 'nav.wallet', citizenOnly: true },
  { to: '/work', label: 'nav.work', staffOnly: true },
  { to: '/admin', label: 'nav.admin', staffOnly: true, adminOnly: true },
]

/** The platform's emblem-like mark and name; links home. */
export function Brand({ subtitle }: { subtitle?: string }) {
  const t = useT()
  return (
    <Link to="/" className="brand" aria-label={t('app.fullName')}>
      <span className="brand-mark" aria-hidden="true">
        通
      </span>
      <span className="brand-text">
        <span className="brand-name">{t('app.fullName')}</span>
        <span className="brand-subtitle">{subtitle ?? t('app.tagline')}</span>
      </span>
    </Link>
  )
}

/**
 * Header of every page: a utility bar (language, 长辈版, login) and the brand band with the main
 * navigation, which collapses into a drawer on phones. `extra` holds the portal's search box.
 */
export function SiteHeader({ subtitle, extra }: { subtitle?: string; extra?: ReactNode }) {
  const t = useT()
  const { isStaff, isLoggedIn, claims } = useAuth()
  const isAdmin = (claims?.roles ?? []).some((grant) => ADMIN_ROLES.includes(grant.role))
  const [open, setOpen] = useState(false)
  const [drawerUsed, setDrawerUsed] = useState(false)
  const items = NAV.filter(
    (item) =>
      (!item.staffOnly || isStaff) &&
      (!item.adminOnly || isAdmin) &&
      (!item.citizenOnly || (isLoggedIn && !isStaff)),
  )
  const links = (onClick?: () => void) =>
    items.map((item) => (
      <NavLink key={item.to} to={item.to} end={item.to === '/'} onClick={onClick} className="nav-link">
        {t(item.label)}
      </NavLink>
    ))

  return (
    <header className="site-header">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <div className="topbar">
        <div className="container topbar-inner">
          <span className="topbar-welcome">{t('app.tagline')}</span>
          <div className="topbar-actions">
            <PreferenceControls />
            <UserMenu />
          </div>
        </div>
      </div>
      <div className="brandbar">
        <div className="container brandbar-inner">
          <Brand {...(subtitle ? { subtitle } : {})} />
          {extra ? <div className="brandbar-extra">{extra}</div> : null}
          <Button
            className="nav-toggle"
            icon={<MenuOutlined />}
            aria-label={t('nav.menu')}
            aria-expanded={open}
            onClick={() => {
              setDrawerUsed(true)
              setOpen(true)
            }}
          />
        </div>
      </div>
      <nav className="mainnav" aria-label={t('nav.mainLabel')}>
        <div className="container mainnav-inner">{links()}</div>
      </nav>
      {drawerUsed ? (
        <Suspense fallback={null}>
          <MobileNav open={open} onClose={() => setOpen(false)}>
            {links(() => setOpen(false))}
          </MobileNav>
        </Suspense>
      ) : null}
    </header>
  )
}
