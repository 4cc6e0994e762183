import {
  ApartmentOutlined,
  AuditOutlined,
  CalendarOutlined,
  FileProtectOutlined,
  GroupOutlined,
  ProfileOutlined,
} from '@ant-design/icons'
import { Route, Routes } from 'react-router'
import { endpoints, type Page } from '../../api/endpoints.ts'
import { useApiQuery } from '../../api/use-api-query.ts'
import { useT } from '../../app/preferences.tsx'
import { DataState } from '../../components/data-state.tsx'
import { NotFound } from '../../components/lazy-not-found.ts'
import { StaffLayout, type StaffMenuItem } from '../../components/staff-layout.tsx'

const menu: StaffMenuItem[] = [
  { path: '/admin', label: 'admin.menu.items', icon: <ProfileOutlined /> },
  { path: '/admin/bundles', label: 'admin.menu.bundles', icon: <GroupOutlined /> },
  { path: '/admin/departments', label: 'admin.menu.departments', icon: <ApartmentOutlined /> },
  { path: '/admin/license-types', label: 'admin.menu.licenseTypes', icon: <FileProtectOutlined /> },
  { path: '/admin/calendar', label: 'admin.menu.calendar', icon: <CalendarOutlined /> },
  { path: '/admin/audit', label: 'admin.menu.audit', icon: <AuditOutlined /> },
]

/** An implementation (实施清单条目) as the admin list shows it (`ImplementationView`). */
interface ItemDraftSummary {
  id: string
  implementationCode: string
  name: string
  departmentName: string
}

function ItemDrafts() {
  const t = useT()
  const query = useApiQuery<Page<ItemDraftSummary>>(endpoints.implementations, { limit: 100 })
  return (
    <>
      <h1 className="page-title">{t('admin.itemsTitle')}</h1>
      <DataState query={query} isEmpty={(page) => page.items.length === 0} emptyText={t('admin.empty')}>
        {(page) => (
          <ul className="result-list">
            {page.items.map((item) => (
              <li key={item.id} className="result-item">
                <span className="result-name">{item.name}</span>
                <span className="result-meta">
                  {item.departmentName} · {item.implementationCode}
                </span>
              </li>
            ))}
          </ul>
        )}
      </DataState>
    </>
  )
}

/** Admin console (/admin): service items first; the other sections come with their modules. */
export default function AdminArea() {
  return (
    <StaffLayout title="admin.title" menu={menu}>
      <Routes>
        <Route index element={<ItemDrafts />} />
        <Route path="*" element={<NotFound />} />
      </Routes>
    </StaffLayout>
  )
}
