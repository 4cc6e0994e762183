import { type Kysely, type Selectable, sql } from 'kysely'
import type { Database } from '../../../platform/db/schema.ts'
import type { Executor } from './executor.ts'

type ItemType = Selectable<Database['catalog_items']>['type']

/** 基本目录事项: a base catalog item as stored. */
export interface ItemRecord {
  id: string
  code: string
  name: string
  type: ItemType
  legal_basis: string
  department_kind: string
  levels: string[]
  audience: string[]
  themes: string[]
  keywords: string[]
  description: string
  version: number
}

export interface ItemInsert {
  code: string
  name: string
  type: ItemType
  legalBasis: string
  departmentKind: string
  levels: string[]
  audience: string[]
  themes: string[]
  keywords: string[]
  description: string
}

const itemColumns = [
  'id',
  'code',
  'name',
  'type',
  'legal_basis',
  'department_kind',
  'levels',
  'audience',
  'themes',
  'keywords',
  'description',
  'version',
] as const

/** Queries of catalog_items; no rules here. */
export class ItemsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  findByCode(code: string, db: Executor = this.db): Promise<ItemRecord | undefined> {
    return db.selectFrom('catalog_items').select(itemColumns).where('code', '=', code).executeTakeFirst()
  }

  findByCodes(codes: string[], db: Executor = this.db): Promise<ItemRecord[]> {
    if (codes.length === 0) return Promise.resolve([])
    return db.selectFrom('catalog_items').select(itemColumns).where('code', 'in', codes).execute()
  }

  async findMany(filter: {
    type?: ItemType
    departmentKind?: string
    theme?: string
    limit: number
    offset: number
  }): Promise<{ items: ItemRecord[]; total: number }> {
    let query = this.db.selectFrom('catalog_items')
    if (filter.type) query = query.where('type', '=', filter.type)
    if (filter.departmentKind) query = query.where('department_kind', '=', filter.departmentKind)
    if (filter.theme) query = query.where(sql<boolean>`themes @> ARRAY[${filter.theme}]::text[]`)
    const [items, count] = await Promise.all([
      query.select(itemColumns).orderBy('code').limit(filter.limit).offset(filter.offset).execute(),
      query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ])
    return { items, total: Number(count.n) }
  }

  findAll(db: Executor = this.db): Promise<ItemRecord[]> {
    return db.selectFrom('catalog_items').select(itemColumns).orderBy('code').execute()
  }

  async insert(db: Executor, row: ItemInsert): Promise<string> {
    const { id } = await db
      .insertInto('catalog_items')
      .values({
        code: row.code,
        name: row.name,
        type: row.type,
        legal_basis: row.legalBasis,
        department_kind: row.departmentKind,
        levels: row.levels,
        audience: row.audience,
        themes: row.themes,
        keywords: row.keywords,
        description: row.description,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return id
  }

  /** Applies changes when the row is still at `version`; false when it moved on. */
  async update(
    db: Executor,
    id: string,
    version: number | null,
    changes: Partial<Omit<ItemRecord, 'id' | 'code' | 'version'>>,
  ): Promise<boolean> {
    let query = db
      .updateTable('catalog_items')
      .set({ ...changes, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', id)
    if (version !== null) query = query.where('version', '=', version)
    const result = await query.executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  }
}
