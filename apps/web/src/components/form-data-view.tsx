import type { FormDocument } from '@tongban/contracts'
import { Descriptions } from 'antd'
import { type Translate, usePreferences, useT } from '../app/preferences.tsx'
import { pickLocalized } from '../i18n/i18n.ts'

/** A form answer as text: 是/否 for booleans, lists joined, objects as JSON. */
export function formValueText(t: Translate, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—'
  if (typeof value === 'boolean') return value ? t('apply.yes') : t('apply.no')
  if (Array.isArray(value)) return value.map((v) => formValueText(t, v)).join('、')
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

/** The keys of the answers in the order of the form's sections; answers the form does not name come last. */
export function orderedKeys(formData: Record<string, unknown>, form: FormDocument | undefined): string[] {
  const inForm = (form?.ui.sections ?? []).flatMap((section) => section.fields)
  const keys = Object.keys(formData)
  return [...inForm.filter((key) => key in formData), ...keys.filter((key) => !inForm.includes(key))]
}

/**
 * 申请信息: a case's form data with the labels of the form it was filed on (the case's guide version),
 * in the form's order; the same view for the applicant (my cases) and for staff (workbench).
 */
export function FormDataView({
  formData,
  form,
}: {
  formData: Record<string, unknown>
  form: FormDocument | undefined
}) {
  const t = useT()
  const { language } = usePreferences()
  const hints = form?.ui.fields ?? {}
  return (
    <Descriptions
      bordered
      size="small"
      column={1}
      className="form-data-view"
      items={orderedKeys(formData, form).map((key) => ({
        key,
        label: hints[key] ? pickLocalized(hints[key].label, language) : key,
        children: formValueText(t, formData[key]),
      }))}
    />
  )
}
