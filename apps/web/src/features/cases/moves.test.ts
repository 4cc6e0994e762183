import { CASE_MOVE_BODIES, STAFF_MOVES, TASK_ACTION_BODIES } from '@tongban/contracts'
import { Value } from 'typebox/value'
import { describe, expect, it } from 'vitest'
import {
  allowedStaffMoves,
  correctionItems,
  MOVE_FORMS,
  moveBody,
  offeredMoves,
  taskActionPath,
  taskActionsFor,
} from './moves.ts'

describe('the moves the workbench offers', () => {
  it('lists every staff move of the contracts, in workflow order, marking those allowed now', () => {
    const offered = offeredMoves(['accept', 'refuse', 'resubmit', 'suspend'])
    expect(offered.map((o) => o.move)).toEqual([...STAFF_MOVES])
    expect(offered.filter((o) => o.allowed).map((o) => o.move)).toEqual(['accept', 'refuse', 'suspend'])
  })

  it('leaves out the applicant’s moves from the allowed staff moves', () => {
    expect(allowedStaffMoves(['withdraw', 'resubmit', 'resume'])).toEqual(['resume'])
  })

  it('has a form for every staff move', () => {
    expect(Object.keys(MOVE_FORMS).sort()).toEqual([...STAFF_MOVES].sort())
  })
})

describe('move bodies', () => {
  it('sends what each move’s schema accepts', () => {
    const values = {
      comment: ' 材料齐全 ',
      reason: '不属于本部门职权范围',
      legalBasis: '《行政许可法》第三十二条',
      items: [{ key: 'material:m2', problem: 'defective' as const, note: '缺签字页' }],
    }
    for (const move of STAFF_MOVES) {
      if (move === 'deliver') continue
      const body = moveBody(move, 3, values)
      expect(Value.Check(CASE_MOVE_BODIES[move], body), move).toBe(true)
      expect(body.comment).toBe('材料齐全')
    }
  })

  it('asks for a refusal’s reason and legal basis', () => {
    expect(moveBody('refuse', 2, { reason: ' 不符合条件 ', legalBasis: '第三十二条' })).toEqual({
      version: 2,
      reason: '不符合条件',
      legalBasis: '第三十二条',
    })
  })

  it('sends an empty reason when none was written, so the server names the missing field', () => {
    const body = moveBody('suspend', 4, {})
    expect(body).toEqual({ version: 4, reason: '' })
    expect(Value.Check(CASE_MOVE_BODIES.suspend, body)).toBe(false)
  })

  it('delivers by post with the tracking number, at the window or as the e-license without one', () => {
    expect(moveBody('deliver', 5, { method: 'post', trackingNumber: ' SF1234567890 ' })).toEqual({
      version: 5,
      method: 'post',
      trackingNumber: 'SF1234567890',
    })
    expect(moveBody('deliver', 5, { method: 'window_pickup', trackingNumber: 'x' })).toEqual({
      version: 5,
      method: 'window_pickup',
    })
    expect(moveBody('deliver', 5, {})).toEqual({ version: 5, method: 'license' })
  })

  it('turns picked correction keys into material and field items', () => {
    expect(
      correctionItems([
        { key: 'material:m1', problem: 'missing' },
        { key: 'field:companyAddress', problem: 'defective', note: '  ' },
      ]),
    ).toEqual([
      { kind: 'material', key: 'm1', problem: 'missing' },
      { kind: 'field', key: 'companyAddress', problem: 'defective' },
    ])
  })
})

describe('task actions', () => {
  it('offers 签收 on an open task, and 退回 and 转交 on one the caller holds', () => {
    expect(taskActionsFor({ status: 'open', claimedBy: null }, 'me')).toEqual(['claim'])
    expect(taskActionsFor({ status: 'claimed', claimedBy: 'me' }, 'me')).toEqual(['release', 'handOver'])
    expect(taskActionsFor({ status: 'claimed', claimedBy: 'someone' }, 'me')).toEqual([])
    expect(taskActionsFor({ status: 'done', claimedBy: 'me' }, 'me')).toEqual([])
  })

  it('posts each action to its path with a body its schema accepts', () => {
    expect(taskActionPath('handOver')).toBe('hand-over')
    expect(taskActionPath('release')).toBe('release')
    expect(Value.Check(TASK_ACTION_BODIES.handOver, { version: 2, to: 'a1' })).toBe(true)
  })
})
