import { Form, Input, Radio } from 'antd'
import type { Rule } from 'antd/es/form'
import { usePreferences, useT } from '../../app/preferences.tsx'
import type { Language } from '../../i18n/i18n.ts'
import { type ApplicantValues, idNumberError, usccError } from './walk-in.ts'

const PHONE_PATTERN = /^1\d{10}$/

/** A rule that runs a check of a national standard (GB 11643, GB 32100) on a filled-in value. */
function standardRule(
  check: (value: string, language: Language) => string | undefined,
  language: Language,
): Rule {
  return {
    validator: (_, value: string | undefined) => {
      if (!value?.trim()) return Promise.resolve()
      const error = check(value, language)
      return error ? Promise.reject(new Error(error)) : Promise.resolve()
    },
  }
}

/** A person's name, ID number and phone: the applicant themself, or the agent who came for a company. */
function PersonFields({ prefix, who }: { prefix: string[]; who: 'applicant' | 'agent' }) {
  const t = useT()
  const { language } = usePreferences()
  const agent = who === 'agent'
  return (
    <>
      <Form.Item
        name={[...prefix, 'name']}
        label={t(agent ? 'walkIn.agentName' : 'walkIn.personName')}
        rules={[{ required: true, whitespace: true, message: t('walkIn.required.name') }]}
      >
        <Input maxLength={50} autoComplete="off" />
      </Form.Item>
      <Form.Item
        name={[...prefix, 'idNumber']}
        label={t(agent ? 'walkIn.agentIdNumber' : 'walkIn.idNumber')}
        rules={[
          { required: true, whitespace: true, message: t('walkIn.required.idNumber') },
          standardRule(idNumberError, language),
        ]}
        validateTrigger={['onBlur', 'onChange']}
        extra={t('walkIn.idNumberHint')}
      >
        <Input maxLength={18} autoComplete="off" inputMode="text" className="walk-in-code-input" />
      </Form.Item>
      <Form.Item
        name={[...prefix, 'phone']}
        label={t(agent ? 'walkIn.agentPhone' : 'walkIn.phone')}
        rules={[{ pattern: PHONE_PATTERN, message: t('walkIn.phoneInvalid') }]}
      >
        <Input maxLength={11} autoComplete="off" inputMode="tel" />
      </Form.Item>
    </>
  )
}

/** A company: its credit code and name, and the agent who came for it. */
function CompanyFields() {
  const t = useT()
  const { language } = usePreferences()
  return (
    <>
      <Form.Item
        name={['applicant', 'uscc']}
        label={t('walkIn.uscc')}
        rules={[
          { required: true, whitespace: true, message: t('walkIn.required.uscc') },
          standardRule(usccError, language),
        ]}
        validateTrigger={['onBlur', 'onChange']}
      >
        <Input maxLength={18} autoComplete="off" className="walk-in-code-input" />
      </Form.Item>
      <Form.Item
        name={['applicant', 'name']}
        label={t('walkIn.companyName')}
        rules={[
          { required: true, whitespace: true, message: t('walkIn.required.companyName') },
          { min: 2, message: t('walkIn.required.companyName') },
        ]}
      >
        <Input maxLength={100} autoComplete="off" />
      </Form.Item>
      <h3 className="walk-in-subtitle">{t('walkIn.agent')}</h3>
      <PersonFields prefix={['applicant', 'agent']} who="agent" />
    </>
  )
}

/** The applicant's fields (step 2): a person by ID card, or a company with the agent who came. */
export function ApplicantFields({ audience }: { audience: string[] }) {
  const t = useT()
  const kind: ApplicantValues['kind'] = Form.useWatch(['applicant', 'kind']) ?? 'person'
  const closed = (value: string) => audience.length > 0 && !audience.includes(value)
  return (
    <>
      <Form.Item name={['applicant', 'kind']} label={t('walkIn.applicantKind')}>
        <Radio.Group
          optionType="button"
          buttonStyle="solid"
          options={[
            { value: 'person', label: t('search.audience.person'), disabled: closed('person') },
            { value: 'company', label: t('search.audience.company'), disabled: closed('company') },
          ]}
        />
      </Form.Item>
      {kind === 'company' ? <CompanyFields /> : <PersonFields prefix={['applicant']} who="applicant" />}
    </>
  )
}

/** The names of the applicant's fields for a kind (validated when leaving step 2). */
export function applicantFieldNames(kind: ApplicantValues['kind']): (string | number)[][] {
  const person = (prefix: string[]) => ['name', 'idNumber', 'phone'].map((field) => [...prefix, field])
  return kind === 'company'
    ? [['applicant', 'uscc'], ['applicant', 'name'], ...person(['applicant', 'agent'])]
    : person(['applicant'])
}
