import { Input } from 'antd'
import { useNavigate, useSearchParams } from 'react-router'
import { useT } from '../../app/preferences.tsx'

/** The portal's service search; submits to /search?q=. */
export function SearchBox({ size = 'middle' }: { size?: 'middle' | 'large' }) {
  const t = useT()
  const navigate = useNavigate()
  const [params] = useSearchParams()
  return (
    <search className="search-box">
      <Input.Search
        key={params.get('q') ?? ''}
        defaultValue={params.get('q') ?? ''}
        size={size}
        placeholder={t('portal.searchPlaceholder')}
        aria-label={t('portal.searchLabel')}
        enterButton={t('portal.searchButton')}
        allowClear
        onSearch={(value) => {
          const q = value.trim()
          if (q) navigate(`/search?q=${encodeURIComponent(q)}`)
        }}
      />
    </search>
  )
}
