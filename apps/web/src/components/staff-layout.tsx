import { Layout, Menu } from 'antd'
import { type ReactNode, Suspense } from 'react'
import { useLocation, useNavigate } from 'react-router'
import { useT } from '../app/preferences.tsx'
import { RequireStaff } from '../auth/require-staff.tsx'
import type { MessageKey } from '../i18n/i18n.ts'
import { PageLoading } from './page-loading.tsx'
import { SiteHeader } from './site-header.tsx'

/** One entry of a staff area's side menu. */
export interface StaffMenuItem {
  path: string
  label: MessageKey
  icon: ReactNode
}

/**
 * Layout of the staff areas (/work, /admin): the common header, a side menu that collapses on
 * phones, and the content, shown to logged-in staff only.
 */
export function StaffLayout({
  title,
  menu,
  children,
}: {
  title: MessageKey
  menu: StaffMenuItem[]
  children: ReactNode
}) {
  const t = useT()
  const navigate = useNavigate()
  const { pathname } = useLocation()
  const selected = [...menu].reverse().find((item) => pathname.startsWith(item.path))
  return (
    <div className="staff-layout">
      <SiteHeader subtitle={t(title)} />
      <RequireStaff>
        <Layout className="staff-body">
          <Layout.Sider
            breakpoint="md"
            collapsedWidth={0}
            width={220}
            theme="light"
            className="staff-sider"
            zeroWidthTriggerStyle={{ top: 8 }}
          >
            <nav aria-label={t(title)}>
              <Menu
                mode="inline"
                selectedKeys={selected ? [selected.path] : []}
                items={menu.map((item) => ({ key: item.path, icon: item.icon, label: t(item.label) }))}
                onClick={({ key }) => navigate(key)}
              />
            </nav>
          </Layout.Sider>
          <Layout.Content>
            <main id="main" className="staff-main" tabIndex={-1}>
              <Suspense fallback={<PageLoading />}>{children}</Suspense>
            </main>
          </Layout.Content>
        </Layout>
      </RequireStaff>
    </div>
  )
}
