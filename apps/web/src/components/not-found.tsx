import { Button, Result } from 'antd'
import { useNavigate } from 'react-router'
import { useT } from '../app/preferences.tsx'

/** 404 inside any area's layout (default export: loaded lazily, see lazy-not-found.ts). */
export default function NotFound() {
  const t = useT()
  const navigate = useNavigate()
  return (
    <Result
      status="404"
      title={<h1 className="result-title">{t('notFound.title')}</h1>}
      subTitle={t('notFound.detail')}
      extra={
        <Button type="primary" onClick={() => navigate('/')}>
          {t('error.backHome')}
        </Button>
      }
    />
  )
}
