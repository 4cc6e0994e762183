import { Drawer } from 'antd'
import type { ReactNode } from 'react'
import { useT } from '../app/preferences.tsx'

/** The phone navigation drawer (loaded the first time the menu button is pressed). */
export default function MobileNav({
  open,
  onClose,
  children,
}: {
  open: boolean
  onClose: () => void
  children: ReactNode
}) {
  const t = useT()
  return (
    <Drawer open={open} onClose={onClose} title={t('nav.menu')} placement="right" size={280}>
      <nav className="drawer-nav" aria-label={t('nav.mainLabel')}>
        {children}
      </nav>
    </Drawer>
  )
}
