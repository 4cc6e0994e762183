import type { CaseEventView, CorrectionItem } from '@tongban/contracts'
import { Tag, Timeline } from 'antd'
import { ApiProblem } from '../../api/client.ts'
import { type Translate, usePreferences, useT } from '../../app/preferences.tsx'
import { type Language, type MessageKey, pickLocalized } from '../../i18n/i18n.ts'

const STATUS_COLOURS: Record<string, string> = {
  submitted: 'blue',
  pre_review: 'blue',
  correction_requested: 'orange',
  accepted: 'processing',
  reviewed: 'processing',
  suspended: 'default',
  approved: 'green',
  denied: 'red',
  refused: 'red',
  withdrawn: 'default',
  completed: 'green',
  delivered: 'green',
}

/** The Chinese (or English) name of a case status, never the code. */
export function statusLabel(t: Translate, status: string): string {
  return t(`case.status.${status}` as MessageKey) ?? status
}

/** The name of a move (accept, refuse …). */
export function moveLabel(t: Translate, move: string): string {
  return t(`case.move.${move}` as MessageKey) ?? move
}

/** A case status as a coloured tag. */
export function StatusTag({ status }: { status: string }) {
  const t = useT()
  return (
    <Tag color={STATUS_COLOURS[status] ?? 'default'} data-testid="case-status">
      {statusLabel(t, status)}
    </Tag>
  )
}

/** 时限预警: green / yellow / red from the API's warning level, with its name (not colour alone). */
export function LevelTag({ level }: { level: string }) {
  const t = useT()
  const known = ['green', 'yellow', 'red', 'paused', 'unknown', 'none'].includes(level) ? level : 'none'
  return (
    <span className={`level-tag level-${known}`} data-level={known}>
      <span className="level-dot" aria-hidden="true" />
      {t(`case.level.${known}` as MessageKey)}
    </span>
  )
}

/**
 * Describes a 409 answer to a move in the user's language: the server's own words (the status, and the
 * moves possible now, by name) when it gives them, else built from the codes of the allowed moves.
 */
export function describeMoveProblem(t: Translate, error: unknown, language?: Language): string | undefined {
  if (!(error instanceof ApiProblem) || error.status !== 409) return undefined
  if (error.code === 'stale-version') return t('case.stale')
  if (error.problem.details && language) return pickLocalized(error.problem.details, language)
  const allowed = error.problem.allowed ?? []
  if (allowed.length === 0) return `${t('case.invalidMove')}。${t('case.noAllowed')}`
  return `${t('case.invalidMove')}。${t('case.allowedMoves', {
    moves: allowed.map((move) => moveLabel(t, move)).join('、'),
  })}`
}

/** The correction items (一次性告知) of an event, if any. */
export function correctionItemsOf(event: CaseEventView | undefined): CorrectionItem[] {
  const items = event?.data.items
  return Array.isArray(items) ? (items as CorrectionItem[]) : []
}

/** The list of what to correct, with the material or field names the guide uses. */
export function CorrectionList({
  items,
  names,
}: {
  items: CorrectionItem[]
  names: (key: string) => string
}) {
  const t = useT()
  return (
    <ul className="correction-list">
      {items.map((item) => (
        <li key={`${item.kind}-${item.key}`}>
          <Tag color="orange">
            {t(item.problem === 'missing' ? 'case.correction.missing' : 'case.correction.defective')}
          </Tag>
          <span className="result-meta">
            {t(item.kind === 'material' ? 'case.correction.material' : 'case.correction.field')}：
          </span>
          <strong>{names(item.key)}</strong>
          {item.note ? <span> — {item.note}</span> : null}
        </li>
      ))}
    </ul>
  )
}

/** The timeline (办理过程) of a case, oldest first. */
export function CaseTimeline({ events }: { events: CaseEventView[] }) {
  const t = useT()
  const { language } = usePreferences()
  return (
    <Timeline
      className="case-timeline"
      items={events.map((event) => {
        const reason = typeof event.data.reason === 'string' ? event.data.reason : undefined
        const basis = typeof event.data.legalBasis === 'string' ? event.data.legalBasis : undefined
        return {
          key: event.seq,
          color: ['refused', 'denied'].includes(event.type)
            ? 'red'
            : event.type === 'correction_requested'
              ? 'orange'
              : 'blue',
          content: (
            <div className="timeline-entry">
              <strong>{t(`case.event.${event.type}` as MessageKey) ?? event.type}</strong>
              <span className="result-meta">
                {' '}
                {new Date(event.at).toLocaleString(language)}
                {event.actor.name ? ` · ${event.actor.name}` : ''}
              </span>
              {reason ? <div>{t('case.reason', { reason })}</div> : null}
              {basis ? <div>{t('case.legalBasis', { basis })}</div> : null}
              {event.comment ? <div>{t('case.comment', { comment: event.comment })}</div> : null}
            </div>
          ),
        }
      })}
    />
  )
}
