import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { platformTables } from '../platform/module.ts'
import { modules } from './index.ts'

/**
 * The house rules that keep modules apart, checked over the server's source (tests aside): a module's code
 * names only its own tables, and reaches another module only through that module's index.ts; the platform
 * layer knows no module.
 */
const src = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** Violations that exist today and are being removed; each must still occur, so the list only shrinks. */
const KNOWN: string[] = []

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    const source = /\.(ts|sql)$/.test(entry.name) && !/\.test\.ts$/.test(entry.name)
    return source ? [path] : []
  })
}

const schema = readFileSync(join(src, 'platform/db/schema.ts'), 'utf8')
const tables = [...schema.matchAll(/^ {2}([a-z_]+): [A-Z]\w+Table$/gm)].map((m) => m[1]!)
const owners = new Map<string, string>()
for (const table of platformTables) owners.set(table, 'platform')
for (const module of modules) for (const table of module.tables) owners.set(table, module.name)

const KYSELY =
  /\b(?:selectFrom|insertInto|updateTable|deleteFrom|innerJoin|leftJoin|rightJoin|fullJoin|mergeInto)\(\s*['"`]([a-z_]+)/g
const SQL_TEMPLATE = /sql(?:<[^>]*>)?`([^`]*)`/g
const SQL_TABLE = /\b(?:from|join|into|update|table)\s+([a-z_]+)\b/gi

/** The tables a file's queries name: Kysely builder calls, and FROM/JOIN/INTO/UPDATE inside SQL text. */
function tablesNamed(path: string, text: string): Set<string> {
  const found = new Set<string>()
  for (const m of text.matchAll(KYSELY)) found.add(m[1]!)
  const sqlTexts = path.endsWith('.sql') ? [text] : [...text.matchAll(SQL_TEMPLATE)].map((m) => m[1]!)
  for (const body of sqlTexts)
    for (const m of body.matchAll(SQL_TABLE)) if (tables.includes(m[1]!)) found.add(m[1]!)
  return found
}

/** Where a file sits: a module's name, 'platform', or undefined (start-up, CLI, wiring, testing). */
function ownerOf(file: string): string | undefined {
  const parts = relative(src, file).split('/')
  if (parts[0] === 'platform') return 'platform'
  if (parts[0] === 'modules' && parts.length > 2) return parts[1]
  return undefined
}

function violations(): string[] {
  const found: string[] = []
  for (const file of sourceFiles(src)) {
    const owner = ownerOf(file)
    if (!owner) continue
    const name = relative(src, file)
    const text = readFileSync(file, 'utf8')
    for (const table of tablesNamed(file, text)) {
      const tableOwner = owners.get(table)
      if (tableOwner !== owner) found.push(`${name} names ${table} (${tableOwner})`)
    }
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
      const target = relative(src, resolve(dirname(file), m[1]!))
      const parts = target.split('/')
      const reachesModule = parts[0] === 'modules'
      if (owner === 'platform' && reachesModule) found.push(`${name} imports ${target}`)
      if (owner === 'platform' || parts[0] === 'platform') continue
      const testHelper = name.endsWith('.testing.ts') && parts[0] === 'testing'
      if (!reachesModule && !testHelper) found.push(`${name} imports ${target}`)
      else if (parts.length > 2 && parts[1] !== owner && parts[2] !== 'index.ts')
        found.push(`${name} imports ${target}`)
      else if (parts.length === 2 && parts[1] === 'index.ts') found.push(`${name} imports ${target}`)
    }
  }
  return found.sort()
}

describe('module boundaries', () => {
  it('gives every table exactly one owner', () => {
    expect(tables.length).toBeGreaterThan(40)
    expect(tables.filter((t) => !owners.has(t))).toEqual([])
    const declared = [...platformTables, ...modules.flatMap((m) => m.tables)]
    expect(declared.filter((t, i) => declared.indexOf(t) !== i)).toEqual([])
    expect(declared.filter((t) => !tables.includes(t))).toEqual([])
  })

  it('keeps each module to its own tables and to other modules’ index.ts', () => {
    const found = violations()
    expect(found.filter((v) => !KNOWN.includes(v))).toEqual([])
    expect(KNOWN.filter((v) => !found.includes(v))).toEqual([])
  })
})
