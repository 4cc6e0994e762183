import type { DepartmentIndex } from '../catalog.caches.ts'
import type { CatalogContext } from '../catalog.context.ts'
import type {
  DepartmentSelection,
  SearchFilter,
  SearchRow,
  TextMatch,
} from '../repositories/search.repository.ts'
import { type TermGroup, toTsQuery } from './catalog.text.ts'

/** The first `take` hits of one search pass (terms joined with `join`), and how many there are. */
export async function findMatches(
  ctx: CatalogContext,
  text: string,
  groups: TermGroup[],
  join: '&' | '|',
  filter: SearchFilter,
  take: number,
): Promise<{ rows: SearchRow[]; total: number }> {
  const { search } = ctx.repositories
  const query = { text, tsQuery: toTsQuery(groups, join) }
  const tokens = [...new Set(groups.flat(2))]
  const { matches, lexemes } = await matchTexts(ctx, query, tokens)
  const departments = await departmentsNamed(ctx, filter, lexemes, tokens)
  const byDepartment = !('ids' in departments) || departments.ids.length > 0
  const [textRows, departmentRows] = await Promise.all([
    matches.length > 0 ? search.findByTexts(matches, filter, take, departments) : [],
    byDepartment
      ? search.findByDepartments(
          query,
          matches.map((m) => m.id),
          departments,
          filter,
          take,
        )
      : [],
  ])
  const total = Number(textRows[0]?.total ?? 0) + Number(departmentRows[0]?.total ?? 0)
  if (departmentRows.length === 0) return { rows: textRows, total }
  return { rows: [...textRows, ...departmentRows].sort(compareHits).slice(0, take), total }
}

/**
 * The departments whose names share a term with the query: within a region filter, by id from this
 * node's index; otherwise as those whose terms match any query token.
 */
async function departmentsNamed(
  ctx: CatalogContext,
  filter: SearchFilter,
  lexemes: Set<string>,
  tokens: string[],
): Promise<DepartmentSelection> {
  if (!filter.regionCodes) return { anyTsQuery: tokens.join(' | ') }
  const index = await departmentsByLexeme(ctx)
  const ids = new Set<string>()
  for (const region of filter.regionCodes) {
    const located = index.get(region)
    if (located) for (const lexeme of lexemes) for (const id of located.get(lexeme) ?? []) ids.add(id)
  }
  return { ids: [...ids] }
}

/** The texts a query matches, and the query's lexemes; cached until a new text is published. */
async function matchTexts(
  ctx: CatalogContext,
  query: { text: string; tsQuery: string },
  tokens: string[],
): Promise<{ matches: TextMatch[]; lexemes: Set<string> }> {
  const cache = ctx.caches.textMatches
  const key = `${query.tsQuery}\n${query.text}`
  const cached = cache.get(key)
  if (cached) return cached
  const epoch = cache.epoch
  const [matches, lexemes] = await Promise.all([
    ctx.repositories.search.findMatchingTexts(query),
    ctx.repositories.search.findLexemes(tokens),
  ])
  const value = { matches, lexemes: new Set(lexemes) }
  cache.set(key, value, epoch)
  return value
}

/** Departments with a published guide by region and lexeme of their names (loaded once, then after changes). */
export function departmentsByLexeme(ctx: CatalogContext): Promise<DepartmentIndex> {
  const { caches } = ctx
  if (!caches.departmentIndex) {
    const loading = ctx.repositories.search.findDepartmentTerms().then((rows) => {
      const index: DepartmentIndex = new Map()
      for (const row of rows) {
        const located = index.get(row.region_code) ?? new Map<string, string[]>()
        index.set(row.region_code, located)
        for (const lexeme of row.lexemes) {
          const ids = located.get(lexeme)
          if (ids) ids.push(row.department_id)
          else located.set(lexeme, [row.department_id])
        }
      }
      return index
    })
    loading.catch(() => {
      if (caches.departmentIndex === loading) caches.departmentIndex = undefined
    })
    caches.departmentIndex = loading
  }
  return caches.departmentIndex
}

/** Search order: relevance, then popularity, then name and id (as the SQL orders each step). */
function compareHits(a: SearchRow, b: SearchRow): number {
  return (
    Number(b.relevance) - Number(a.relevance) ||
    Number(b.popularity) - Number(a.popularity) ||
    (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) ||
    (a.implementation_id < b.implementation_id ? -1 : a.implementation_id > b.implementation_id ? 1 : 0)
  )
}
