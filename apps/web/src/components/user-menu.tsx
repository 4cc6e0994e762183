import { LogoutOutlined, UserOutlined } from '@ant-design/icons'
import { Button } from 'antd'
import { Link } from 'react-router'
import { useT } from '../app/preferences.tsx'
import { useAuth } from '../auth/use-auth.ts'
import { useShowError } from './error-display.tsx'
import './user-menu.css'

/** 登录 and 注册, or the logged-in user's name (and whom they act for) with a logout button. */
export function UserMenu() {
  const t = useT()
  const auth = useAuth()
  const showError = useShowError()
  if (!auth.claims) {
    return (
      <span className="user-menu">
        <Button
          type="text"
          size="small"
          className="topbar-button"
          icon={<UserOutlined />}
          onClick={() => auth.login().catch(showError)}
        >
          {t('auth.login')}
        </Button>
        <Link className="topbar-button topbar-link" to="/register">
          {t('auth.register')}
        </Link>
      </span>
    )
  }
  const { name, sub, account_kind: kind, acting_for: actingFor } = auth.claims
  return (
    <span className="user-menu">
      <span className="user-name">
        <UserOutlined aria-hidden="true" /> {name ?? sub}
        {kind ? ` · ${t(`auth.kind.${kind}`)}` : ''}
        {actingFor?.name ? ` · ${t('auth.actingFor', { name: actingFor.name })}` : ''}
      </span>
      <Button
        type="text"
        size="small"
        className="topbar-button"
        icon={<LogoutOutlined />}
        onClick={() => auth.logout().catch(showError)}
      >
        {t('auth.logout')}
      </Button>
    </span>
  )
}
