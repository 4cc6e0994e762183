import { type ReactNode, Suspense } from 'react'
import { PageLoading } from './page-loading.tsx'
import { SiteFooter } from './site-footer.tsx'
import { SiteHeader } from './site-header.tsx'

/** Header, main content and footer of the public pages (portal, verifier, 404). */
export function PublicLayout({ children, headerExtra }: { children: ReactNode; headerExtra?: ReactNode }) {
  return (
    <div className="public-layout">
      <SiteHeader extra={headerExtra} />
      <main id="main" className="public-main" tabIndex={-1}>
        <Suspense fallback={<PageLoading />}>{children}</Suspense>
      </main>
      <SiteFooter />
    </div>
  )
}
