import fs from 'node:fs/promises'
import { expect, it } from 'vitest'
import { variables } from './config.ts'

const DOC = new URL('../../../../docs/configuration.md', import.meta.url)

/** The rows of the variables table: name → default ('' when documented as "(empty)") and meaning. */
async function documentedVariables(): Promise<Map<string, { default: string; meaning: string }>> {
  const text = await fs.readFile(DOC, 'utf8')
  const rows = new Map<string, { default: string; meaning: string }>()
  for (const line of text.split('\n')) {
    const match = /^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|([^|]*)\|(.*)\|\s*$/.exec(line)
    if (!match) continue
    const [, name = '', rawDefault = '', meaning = ''] = match
    const cell = rawDefault.trim()
    rows.set(name, {
      default: cell === '(empty)' ? '' : cell.replace(/^`(.*)`$/, '$1'),
      meaning: meaning.trim(),
    })
  }
  return rows
}

it('docs/configuration.md documents every variable of config.ts with its default, and nothing else', async () => {
  const documented = await documentedVariables()
  const inCode = Object.values(variables)
  for (const variable of inCode) {
    const row = documented.get(variable.name)
    expect(row, `${variable.name} is missing from docs/configuration.md`).toBeDefined()
    expect(row?.default, `default of ${variable.name}`).toBe(variable.default ?? '')
    expect(row?.meaning.length, `meaning of ${variable.name}`).toBeGreaterThan(10)
  }
  expect([...documented.keys()].sort(), 'documented variables that the code does not read').toEqual(
    inCode.map((v) => v.name).sort(),
  )
})
