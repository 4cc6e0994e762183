import { Button, Switch } from 'antd'
import { useId } from 'react'
import { usePreferences, useT } from '../app/preferences.tsx'

/** Language switch (中文/English) and the 长辈版 switch, shown on every page. */
export function PreferenceControls() {
  const t = useT()
  const { language, setLanguage, elderly, setElderly } = usePreferences()
  const elderlyId = useId()
  const next = language === 'en' ? 'zh-CN' : 'en'
  return (
    <div className="preference-controls">
      <Button
        type="text"
        size="small"
        className="topbar-button"
        lang={next}
        aria-label={`${t('lang.switchLabel')}: ${next === 'en' ? 'English' : '中文'}`}
        data-testid="language-switch"
        onClick={() => setLanguage(next)}
      >
        {next === 'en' ? 'English' : '中文'}
      </Button>
      <span className="elderly-switch">
        <label htmlFor={elderlyId}>{t('elderly.label')}</label>
        <Switch
          id={elderlyId}
          size="small"
          checked={elderly}
          title={t('elderly.switchLabel')}
          data-testid="elderly-switch"
          onChange={setElderly}
        />
      </span>
    </div>
  )
}
