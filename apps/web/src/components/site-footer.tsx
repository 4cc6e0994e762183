import { useT } from '../app/preferences.tsx'

/** Footer of the public pages: sponsor, 12345 hotline, licence. */
export function SiteFooter() {
  const t = useT()
  return (
    <footer className="site-footer">
      <div className="container site-footer-inner">
        <p>{t('footer.sponsor')}</p>
        <p>{t('footer.hotline')}</p>
        <p>{t('footer.accessibility')}</p>
        <p>{t('footer.copyright')}</p>
      </div>
    </footer>
  )
}
