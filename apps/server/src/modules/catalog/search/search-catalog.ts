import type { SearchQuery, SearchResult } from '@tongban/contracts'
import type { CatalogContext } from '../catalog.context.ts'
import type { SearchFilter, SearchRow } from '../repositories/search.repository.ts'
import { describeTerms, expandTerms, parseQuery } from './catalog.text.ts'
import { findMatches } from './match-texts.ts'

/**
 * Full-text search of published guides. The query is cut by jieba and each term expanded with its
 * synonyms; all terms must match (a second, lenient pass accepts any term when nothing matched), or
 * the name must be trigram-similar or contain the text (typos, substrings). Region filter: the region
 * and its ancestors (a county user sees the county's, city's and province's items).
 *
 * Two steps: the query is matched against the distinct guide texts (a few hundred, cached per query on
 * each node until a new text is published), then the region's implementations using those texts are
 * read through the (text, region) index. A department whose name shares a term with the query has its
 * implementations matched on text and name together, as one document, like before the split.
 */
export async function searchCatalog(ctx: CatalogContext, query: SearchQuery): Promise<SearchResult> {
  const parsed = parseQuery(query.q)
  const filter = await filterOf(ctx, query)
  const offset = query.offset ?? 0
  const take = offset + (query.limit ?? 20)
  let hits: { rows: SearchRow[]; total: number }
  let terms: string[] = []
  if (parsed.terms.length === 0) {
    const rows = await ctx.repositories.search.findPopular(filter, take)
    hits = { rows, total: Number(rows[0]?.total ?? 0) }
  } else {
    const synonyms = new Map<string, string[]>()
    for (const term of parsed.terms) synonyms.set(term, await synonymsOf(ctx, term))
    const groups = expandTerms(parsed.terms, (term) => synonyms.get(term) ?? [])
    terms = describeTerms(groups)
    hits = await findMatches(ctx, parsed.text, groups, '&', filter, take)
    if (hits.total === 0 && groups.length > 1)
      hits = await findMatches(ctx, parsed.text, groups, '|', filter, take)
  }
  return {
    items: await presentHits(ctx, hits.rows.slice(offset, take)),
    total: Math.min(hits.total, 1000),
    terms,
  }
}

async function filterOf(ctx: CatalogContext, query: SearchQuery): Promise<SearchFilter> {
  const regionCodes = query.region
    ? (await ctx.directory.regionPath(query.region)).map((r) => r.code)
    : undefined
  return {
    ...(regionCodes ? { regionCodes } : {}),
    ...(query.department ? { departmentId: query.department } : {}),
    ...(query.audience ? { audience: query.audience } : {}),
    ...(query.theme ? { theme: query.theme } : {}),
    ...(query.onlineOnly ? { onlineOnly: true } : {}),
  }
}

/** The hits as the API shows them, with their departments' names. */
async function presentHits(ctx: CatalogContext, rows: SearchRow[]): Promise<SearchResult['items']> {
  if (rows.some((row) => !ctx.directory.isCached(row.department_id))) await ctx.directory.loadAllDepartments()
  const departments = await Promise.all(rows.map((row) => ctx.directory.department(row.department_id)))
  return rows.map((row, index) => ({
    implementationId: row.implementation_id,
    itemCode: row.item_code,
    name: row.name,
    regionCode: row.region_code,
    departmentId: row.department_id,
    departmentName: departments[index]?.name ?? '',
    audience: row.audience,
    themes: row.themes,
    visits: row.visits,
    onlineDepth: row.online_depth,
    publishedVersion: row.version,
    popularity: Number(row.popularity),
    relevance: Number(row.relevance),
  }))
}

/** A term's synonyms (the synonym table is read at most every five minutes). */
async function synonymsOf(ctx: CatalogContext, term: string): Promise<string[]> {
  const cached = ctx.caches.synonyms
  if (!cached || Date.now() - cached.loaded > 300_000) {
    const rows = await ctx.repositories.search.findSynonyms()
    const groups = new Map<string, string[]>()
    for (const row of rows) groups.set(row.canonical, [...(groups.get(row.canonical) ?? []), row.term])
    const byTerm = new Map<string, string[]>()
    for (const row of rows) byTerm.set(row.term, groups.get(row.canonical) ?? [])
    ctx.caches.synonyms = { loaded: Date.now(), byTerm }
  }
  return ctx.caches.synonyms?.byTerm.get(term) ?? []
}
