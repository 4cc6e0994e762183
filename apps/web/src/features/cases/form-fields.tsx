import type { FormDocument } from '@tongban/contracts'
import { Form, Input, InputNumber, Select, Switch, Tag } from 'antd'
import type { Rule } from 'antd/es/form'
import { usePreferences, useT } from '../../app/preferences.tsx'
import { pickLocalized } from '../../i18n/i18n.ts'
import { isVisible, propertiesOf, requiredOf, type SchemaProperty, sectionsOf } from './form-document.ts'

/**
 * The input for one schema property. Form.Item injects `id`, `value` and `onChange` (or `checked`)
 * into its child, so they are passed on to the AntD input: the form then owns the value.
 */
function FieldInput({
  property,
  label,
  ...control
}: {
  property: SchemaProperty
  label: string
  id?: string
  value?: unknown
  checked?: boolean
  onChange?: (value: unknown) => void
}) {
  const t = useT()
  const rest = control as Record<string, unknown>
  if (Array.isArray(property.enum)) {
    return (
      <Select
        {...rest}
        placeholder={t('apply.select')}
        aria-label={label}
        options={property.enum.map((value) => ({ value: String(value), label: String(value) }))}
      />
    )
  }
  if (property.type === 'boolean') return <Switch {...rest} aria-label={label} />
  if (property.type === 'integer' || property.type === 'number') {
    return (
      <InputNumber
        {...rest}
        className="full-width"
        aria-label={label}
        min={property.minimum}
        max={property.maximum}
        precision={property.type === 'integer' ? 0 : undefined}
      />
    )
  }
  if (property.format === 'date') return <Input {...rest} type="date" />
  if ((property.maxLength ?? 0) > 200)
    return <Input.TextArea {...rest} rows={3} maxLength={property.maxLength} />
  return <Input {...rest} maxLength={property.maxLength} autoComplete="off" />
}

/**
 * The sections and fields of an item's application form (申请表), rendered from its form document: one
 * `Form.Item` named `['formData', key]` per visible field, marking the prefilled ones. Used inside an
 * AntD `Form` whose values hold `formData`: the portal's apply page and the workbench's 一窗受理.
 */
export function FormDocumentFields({
  document,
  prefilled,
  prefilledHint,
}: {
  document: FormDocument
  /** Values filled in from what is known of the applicant, by field key (tagged 已预填). */
  prefilled: Record<string, unknown>
  /** Where the prefilled values come from, shown under each prefilled field. */
  prefilledHint: string
}) {
  const t = useT()
  const { language } = usePreferences()
  const form = Form.useFormInstance()
  const values: Record<string, unknown> = Form.useWatch('formData', form) ?? {}
  const properties = propertiesOf(document)
  const required = requiredOf(document)
  return (
    <>
      {sectionsOf(document).map((section) => (
        <section
          key={section.key}
          className="portal-section apply-section"
          aria-labelledby={`s-${section.key}`}
        >
          {section.title ? (
            <h2 id={`s-${section.key}`} className="section-title">
              {pickLocalized(section.title, language)}
            </h2>
          ) : null}
          {section.fields.map((key) => {
            const hint = document.ui.fields[key]
            const property = properties[key] ?? {}
            const label = hint ? pickLocalized(hint.label, language) : (property.title ?? key)
            if (!isVisible(document, key, values)) return null
            const isPrefilled = key in prefilled
            const rules: Rule[] = required.has(key)
              ? [{ required: true, message: t('apply.required', { label }) }]
              : []
            const help = hint?.help ? pickLocalized(hint.help, language) : undefined
            const extra = [help, isPrefilled ? prefilledHint : undefined].filter(Boolean).join(' ')
            return (
              <Form.Item
                key={key}
                name={['formData', key]}
                label={
                  <span className="field-label">
                    {label}
                    {isPrefilled ? (
                      <Tag color="blue" className="prefilled-tag" data-testid={`prefilled-${key}`}>
                        {t('apply.prefilled')}
                      </Tag>
                    ) : null}
                  </span>
                }
                rules={rules}
                valuePropName={property.type === 'boolean' ? 'checked' : 'value'}
                {...(extra ? { extra } : {})}
                className={isPrefilled ? 'prefilled-field' : undefined}
              >
                <FieldInput property={property} label={label} />
              </Form.Item>
            )
          })}
        </section>
      ))}
    </>
  )
}
