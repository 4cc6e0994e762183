import { lazy } from 'react'
import { Route, Routes, useLocation } from 'react-router'
import { NotFound } from '../../components/lazy-not-found.ts'
import { PublicLayout } from '../../components/public-layout.tsx'
import PortalHome from './portal-home.tsx'
import { SearchBox } from './search-box.tsx'

const SearchPage = lazy(() => import('./search-page.tsx'))
const ProgressPage = lazy(() => import('./progress-page.tsx'))
const GuidePage = lazy(() => import('./guide-page.tsx'))
const ApplyPage = lazy(() => import('./apply-page.tsx'))
const ApplyDone = lazy(() => import('./apply-done.tsx'))
const MyCases = lazy(() => import('./my-cases.tsx'))
const Wallet = lazy(() => import('./wallet.tsx'))
const RegisterPage = lazy(() => import('../account/register-page.tsx'))
const PasswordResetPage = lazy(() => import('../account/password-reset-page.tsx'))

/** Citizen portal (/): home, search, guide, apply, my cases, my licenses, progress query, registration, password reset and the 404 page. */
export default function PortalArea() {
  const { pathname } = useLocation()
  // The home page has the large search box in its banner; other pages carry it in the header.
  return (
    <PublicLayout headerExtra={pathname === '/' ? undefined : <SearchBox />}>
      <Routes>
        <Route index element={<PortalHome />} />
        <Route path="search" element={<SearchPage />} />
        <Route path="progress" element={<ProgressPage />} />
        <Route path="items/:implementationId" element={<GuidePage />} />
        <Route path="items/:implementationId/apply" element={<ApplyPage />} />
        <Route path="apply/done" element={<ApplyDone />} />
        <Route path="me/cases/*" element={<MyCases />} />
        <Route path="me/licenses/*" element={<Wallet />} />
        <Route path="register" element={<RegisterPage />} />
        <Route path="password-reset" element={<PasswordResetPage />} />
        <Route path="*" element={<NotFound />} />
      </Routes>
    </PublicLayout>
  )
}
