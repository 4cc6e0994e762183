import type { Material, PublishedGuideView } from '@tongban/contracts'
import { describe, expect, it } from 'vitest'
import { mergeMaterials } from './merge-materials.ts'

function guide(itemCode: string, materials: Material[]): PublishedGuideView {
  return { itemCode, content: { materials } } as unknown as PublishedGuideView
}
const upload = (key: string, name: string, required = true): Material => ({
  key,
  name,
  form: 'electronic',
  copies: 1,
  required,
  source: 'upload',
})

describe('a bundle’s merged materials', () => {
  it('keeps materials of different items apart even when their own keys are the same', () => {
    const { list, keyMaps } = mergeMaterials([
      guide('A', [upload('m1', '申请书'), upload('m2', '营业场所证明')]),
      guide('B', [upload('m1', '出生医学证明'), upload('m2', '申请书', false)]),
    ])
    expect(list.map((m) => [m.key, m.name, m.usedBy])).toEqual([
      ['m1', '申请书', ['A', 'B']],
      ['m2', '营业场所证明', ['A']],
      ['m1_2', '出生医学证明', ['B']],
    ])
    // each item's own keys point at the merged material it shares or owns
    expect(keyMaps).toEqual([
      { m1: 'm1', m2: 'm2' },
      { m1: 'm1_2', m2: 'm1' },
    ])
    expect(list[0]?.required).toBe(true)
  })

  it('treats the same license type as one material, whatever each item calls it', () => {
    const license = (key: string): Material => ({
      ...upload(key, '营业执照'),
      source: 'license',
      licenseType: 'L1',
    })
    const { list, keyMaps } = mergeMaterials([guide('A', [license('bl')]), guide('B', [license('yyzz')])])
    expect(list.map((m) => m.key)).toEqual(['bl'])
    expect(keyMaps).toEqual([{ bl: 'bl' }, { yyzz: 'bl' }])
  })
})
