import {
  AuditOutlined,
  CalendarOutlined,
  FileProtectOutlined,
  KeyOutlined,
  ProfileOutlined,
  TeamOutlined,
} from '@ant-design/icons'
import { Result } from 'antd'
import type { ReactNode } from 'react'
import { Navigate, Route, Routes } from 'react-router'
import { useT } from '../../app/preferences.tsx'
import { useAuth } from '../../auth/use-auth.ts'
import { NotFound } from '../../components/lazy-not-found.ts'
import { StaffLayout, type StaffMenuItem } from '../../components/staff-layout.tsx'
import type { MessageKey } from '../../i18n/i18n.ts'
import { type AdminSection, SECTION_ROLES, sectionsFor } from './admin-roles.ts'
import { AuditSection } from './audit-section.tsx'
import { CalendarSection } from './calendar-section.tsx'
import { ItemsSection } from './items-section.tsx'
import { KeysSection } from './keys-section.tsx'
import { LicenseTypesSection } from './license-types-section.tsx'
import { StaffSection } from './staff-section.tsx'

const SECTIONS: Record<
  AdminSection,
  { path: string; label: MessageKey; icon: ReactNode; element: ReactNode }
> = {
  items: { path: 'items', label: 'admin.menu.items', icon: <ProfileOutlined />, element: <ItemsSection /> },
  licenseTypes: {
    path: 'license-types',
    label: 'admin.menu.licenseTypes',
    icon: <FileProtectOutlined />,
    element: <LicenseTypesSection />,
  },
  keys: { path: 'keys', label: 'admin.menu.keys', icon: <KeyOutlined />, element: <KeysSection /> },
  calendar: {
    path: 'calendar',
    label: 'admin.menu.calendar',
    icon: <CalendarOutlined />,
    element: <CalendarSection />,
  },
  staff: { path: 'staff', label: 'admin.menu.staff', icon: <TeamOutlined />, element: <StaffSection /> },
  audit: { path: 'audit', label: 'admin.menu.audit', icon: <AuditOutlined />, element: <AuditSection /> },
}

/** A section opened by someone without its role: a refusal, never the section's controls. */
function NotForYou({ section }: { section: AdminSection }) {
  const t = useT()
  return (
    <Result
      status="403"
      title={<h1 className="result-title">{t('admin.forbidden')}</h1>}
      subTitle={t('admin.forbiddenDetail', {
        roles: SECTION_ROLES[section].map((role) => t(`admin.role.${role}` as MessageKey)).join('、'),
      })}
    />
  )
}

function AdminRoutes() {
  const t = useT()
  const { claims } = useAuth()
  const allowed = sectionsFor(claims)
  const first = allowed[0]
  return (
    <Routes>
      <Route
        index
        element={
          first ? (
            <Navigate to={`/admin/${SECTIONS[first].path}`} replace />
          ) : (
            <Result
              status="403"
              title={<h1 className="result-title">{t('admin.noRole')}</h1>}
              subTitle={t('admin.noRoleDetail')}
            />
          )
        }
      />
      {(Object.keys(SECTIONS) as AdminSection[]).map((section) => (
        <Route
          key={section}
          path={SECTIONS[section].path}
          element={allowed.includes(section) ? SECTIONS[section].element : <NotForYou section={section} />}
        />
      ))}
      <Route path="*" element={<NotFound />} />
    </Routes>
  )
}

/**
 * Admin console (/admin): service items and their guide drafts, license types and signing keys, the
 * holiday calendar, staff roles and the audit log. Each staff member sees the sections of their roles
 * (三员分立: only the security admin grants roles, only the audit admin reads the audit log).
 */
export default function AdminArea() {
  const { claims } = useAuth()
  const menu: StaffMenuItem[] = sectionsFor(claims).map((section) => ({
    path: `/admin/${SECTIONS[section].path}`,
    label: SECTIONS[section].label,
    icon: SECTIONS[section].icon,
  }))
  return (
    <StaffLayout title="admin.title" menu={menu}>
      <AdminRoutes />
    </StaffLayout>
  )
}
