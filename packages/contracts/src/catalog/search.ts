import { type Static, Type } from 'typebox'
import { RegionCode } from '../org/org.ts'
import { AudienceCode, ThemeCode } from './vocabulary.ts'

// ---------------------------------------------------------------- search

export const SearchQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 10_000 })),
    region: Type.Optional(RegionCode),
    department: Type.Optional(Type.String({ format: 'uuid' })),
    audience: Type.Optional(AudienceCode),
    theme: Type.Optional(ThemeCode),
    onlineOnly: Type.Optional(Type.Boolean({ description: 'Only items needing no visit (跑零次)' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000, default: 0 })),
  },
  { additionalProperties: false },
)
export type SearchQuery = Static<typeof SearchQuery>

export const SearchHit = Type.Object({
  implementationId: Type.String(),
  itemCode: Type.String(),
  name: Type.String(),
  regionCode: Type.String(),
  departmentId: Type.String(),
  departmentName: Type.String(),
  audience: Type.Array(Type.String()),
  themes: Type.Array(Type.String()),
  visits: Type.Integer(),
  onlineDepth: Type.Integer(),
  publishedVersion: Type.Integer(),
  popularity: Type.Integer(),
  relevance: Type.Number(),
})
export const SearchResult = Type.Object({
  items: Type.Array(SearchHit),
  total: Type.Integer({ description: 'Matches found (capped at 1,000)' }),
  terms: Type.Array(Type.String(), { description: 'Query terms after segmentation and synonym expansion' }),
})
export type SearchResult = Static<typeof SearchResult>
