import type { CaseView, PublishedGuideView, StaffMove } from '@tongban/contracts'
import { Alert, Button, Form } from 'antd'
import { useState } from 'react'
import { apiFetch } from '../../api/client.ts'
import { endpoints } from '../../api/endpoints.ts'
import { applyProblemToForm } from '../../api/form-errors.ts'
import { usePreferences, useT } from '../../app/preferences.tsx'
import { ProblemAlert } from '../../components/problem-alert.tsx'
import { describeMoveProblem, moveLabel } from './case-parts.tsx'
import { MoveFields } from './move-fields.tsx'
import { allowedStaffMoves, MOVE_FORMS, type MoveValues, moveBody, offeredMoves } from './moves.ts'

/** Sending one move: its body, and where the server's refusal goes (the form's fields or an alert). */
function useMoveSender(record: CaseView, onMoved: (move: StaffMove) => void) {
  const t = useT()
  const { language } = usePreferences()
  const [form] = Form.useForm<MoveValues>()
  const [move, setMove] = useState<StaffMove>()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>()
  const [moveProblem, setMoveProblem] = useState<string>()

  function choose(next: StaffMove) {
    setMove(next)
    setError(undefined)
    setMoveProblem(undefined)
    form.resetFields()
    if (MOVE_FORMS[next].items) form.setFieldValue('items', [{ problem: 'missing' }])
    if (MOVE_FORMS[next].delivery) form.setFieldValue('method', 'license')
  }

  async function submit(values: MoveValues) {
    if (!move) return
    setBusy(true)
    setError(undefined)
    setMoveProblem(undefined)
    try {
      await apiFetch<CaseView>(endpoints.caseMove(record.id, move), {
        method: 'POST',
        body: moveBody(move, record.version, values),
      })
      setMove(undefined)
      onMoved(move)
    } catch (problem) {
      const described = describeMoveProblem(t, problem, language)
      if (described) {
        setMoveProblem(described)
        return
      }
      const { applied } = applyProblemToForm(form, problem, language)
      if (applied.length === 0) setError(problem)
    } finally {
      setBusy(false)
    }
  }
  return { form, move, busy, error, moveProblem, choose, submit }
}

/**
 * 办理操作: every staff move as a button — those the case view allows this caller now as plain buttons,
 * the others dashed (trying one says why not) — and the chosen move's form.
 */
export function MovePanel({
  record,
  guide,
  onMoved,
}: {
  record: CaseView
  guide: PublishedGuideView | undefined
  onMoved: (move: StaffMove) => void
}) {
  const t = useT()
  const sender = useMoveSender(record, onMoved)
  const allowed = allowedStaffMoves(record.allowedMoves)
  const chosen = sender.move
  return (
    <section className="portal-section" aria-labelledby="moves-title">
      <h2 id="moves-title" className="section-title">
        {t('work.actions')}
      </h2>
      <p className="result-meta" data-testid="allowed-moves">
        {allowed.length > 0
          ? t('work.allowedNow', { moves: allowed.map((m) => moveLabel(t, m)).join('、') })
          : t('case.noAllowed')}
      </p>
      <div className="form-actions move-buttons">
        {offeredMoves(record.allowedMoves).map(({ move, allowed: now }) => (
          <Button
            key={move}
            type={chosen === move ? 'primary' : now ? 'default' : 'dashed'}
            danger={MOVE_FORMS[move].danger === true}
            onClick={() => sender.choose(move)}
            data-testid={`move-${move}`}
          >
            {moveLabel(t, move)}
          </Button>
        ))}
      </div>
      {chosen ? (
        <Form
          form={sender.form}
          layout="vertical"
          onFinish={sender.submit}
          className="page-feedback move-form"
        >
          <h3 className="move-form-title">{moveLabel(t, chosen)}</h3>
          <MoveFields form={MOVE_FORMS[chosen]} guide={guide} />
          {sender.moveProblem ? (
            <Alert type="warning" showIcon title={sender.moveProblem} role="alert" className="move-problem" />
          ) : null}
          <ProblemAlert error={sender.error} />
          <Button
            type="primary"
            htmlType="submit"
            loading={sender.busy}
            danger={MOVE_FORMS[chosen].danger === true}
          >
            {t('work.doMove', { move: moveLabel(t, chosen) })}
          </Button>
        </Form>
      ) : null}
    </section>
  )
}
