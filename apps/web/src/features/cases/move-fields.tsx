import type { PublishedGuideView } from '@tongban/contracts'
import { Button, Form, Input, Radio, Select, Space } from 'antd'
import { usePreferences, useT } from '../../app/preferences.tsx'
import { pickLocalized } from '../../i18n/i18n.ts'
import type { MoveForm, MoveValues } from './moves.ts'

/** 理由 and 法律依据, as the move asks for them. */
function ReasonFields({ form }: { form: MoveForm }) {
  const t = useT()
  return (
    <>
      {form.reason ? (
        <Form.Item
          name="reason"
          label={t('work.reason')}
          rules={[{ required: true, whitespace: true, message: t('work.required.reason') }]}
        >
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      ) : null}
      {form.legalBasis ? (
        <Form.Item
          name="legalBasis"
          label={t('work.legalBasisLabel')}
          rules={[{ required: true, whitespace: true, message: t('work.required.legalBasis') }]}
        >
          <Input maxLength={500} />
        </Form.Item>
      ) : null}
    </>
  )
}

/** What a correction can name: the guide's materials and the form's fields. */
function correctionKeys(guide: PublishedGuideView | undefined, language: 'zh-CN' | 'en') {
  return [
    ...(guide?.content.materials ?? []).map((m) => ({ value: `material:${m.key}`, label: m.name })),
    ...Object.entries(guide?.content.form.ui.fields ?? {}).map(([key, hint]) => ({
      value: `field:${key}`,
      label: pickLocalized(hint.label, language),
    })),
  ]
}

/** 一次性告知: every material or field to correct, listed at once. */
function CorrectionItemsField({ guide }: { guide: PublishedGuideView | undefined }) {
  const t = useT()
  const { language } = usePreferences()
  const keys = correctionKeys(guide, language)
  const atLeastOne = async (_: unknown, items?: unknown[]) => {
    if (!items?.length) throw new Error(t('work.required.items'))
  }
  return (
    <Form.List name="items" rules={[{ validator: atLeastOne }]}>
      {(fields, { add, remove }, { errors }) => (
        <fieldset className="correction-items">
          <legend>{t('work.correctionItems')}</legend>
          {fields.map((field) => (
            <Space key={field.key} wrap align="start" className="correction-item">
              <Form.Item
                name={[field.name, 'key']}
                label={t('work.correctionKey')}
                rules={[{ required: true, message: t('work.required.key') }]}
              >
                <Select
                  className="correction-key"
                  options={keys}
                  placeholder={t('apply.select')}
                  aria-label={t('work.correctionKey')}
                />
              </Form.Item>
              <Form.Item name={[field.name, 'problem']} label={t('work.correctionProblem')}>
                <Select
                  aria-label={t('work.correctionProblem')}
                  options={[
                    { value: 'missing', label: t('case.correction.missing') },
                    { value: 'defective', label: t('case.correction.defective') },
                  ]}
                />
              </Form.Item>
              <Form.Item name={[field.name, 'note']} label={t('work.correctionNote')}>
                <Input maxLength={500} />
              </Form.Item>
              <Button onClick={() => remove(field.name)}>{t('work.removeItem')}</Button>
            </Space>
          ))}
          <Button onClick={() => add({ problem: 'missing' })}>{t('work.addItem')}</Button>
          <Form.ErrorList errors={errors} />
        </fieldset>
      )}
    </Form.List>
  )
}

/** 出件方式: as the e-license, picked up at the window, or by post with its tracking number. */
function DeliveryFields() {
  const t = useT()
  const method: MoveValues['method'] = Form.useWatch('method') ?? 'license'
  return (
    <>
      <Form.Item name="method" label={t('work.delivery.method')}>
        <Radio.Group
          options={[
            { value: 'license', label: t('work.delivery.license') },
            { value: 'window_pickup', label: t('work.delivery.window_pickup') },
            { value: 'post', label: t('work.delivery.post') },
          ]}
        />
      </Form.Item>
      {method === 'post' ? (
        <Form.Item
          name="trackingNumber"
          label={t('work.trackingNumber')}
          rules={[{ required: true, whitespace: true, message: t('work.required.trackingNumber') }]}
        >
          <Input maxLength={60} autoComplete="off" />
        </Form.Item>
      ) : null}
    </>
  )
}

/** The fields of one move's form: what its body takes, then the comment (the reason, for 恢复办理). */
export function MoveFields({ form, guide }: { form: MoveForm; guide: PublishedGuideView | undefined }) {
  const t = useT()
  return (
    <>
      <ReasonFields form={form} />
      {form.items ? <CorrectionItemsField guide={guide} /> : null}
      {form.delivery ? <DeliveryFields /> : null}
      <Form.Item
        name="comment"
        label={form.commentRequired ? t('work.reason') : t('work.comment')}
        rules={
          form.commentRequired
            ? [{ required: true, whitespace: true, message: t('work.required.reason') }]
            : []
        }
      >
        <Input.TextArea rows={2} maxLength={2000} />
      </Form.Item>
    </>
  )
}
