import { type Kysely, type Selectable, sql } from 'kysely'
import type { Database } from '../../../platform/db/schema.ts'
import type { Executor } from './executor.ts'

/** 实施清单条目: one region's and department's implementation of a base item, as stored. */
export interface ImplementationRecord {
  id: string
  item_id: string
  item_code: string
  region_code: string
  department_id: string
  code: string
  name: string
  type: string
  legal_basis: string
  local_notes: string
  status: Selectable<Database['catalog_implementations']>['status']
  origin: Selectable<Database['catalog_implementations']>['origin']
  published_version: number | null
  version: number
}

export interface ImplementationInsert {
  itemId: string
  regionCode: string
  departmentId: string
  code: string
  name: string
  type: string
  legalBasis: string
  localNotes: string
  origin: 'api' | 'import' | 'demo'
}

/** Queries of catalog_implementations (with their base item's code); no rules here. */
export class ImplementationsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  private select(db: Executor) {
    return db
      .selectFrom('catalog_implementations as m')
      .innerJoin('catalog_items as i', 'i.id', 'm.item_id')
      .select([
        'm.id',
        'm.item_id',
        'i.code as item_code',
        'm.region_code',
        'm.department_id',
        'm.code',
        'm.name',
        'm.type',
        'm.legal_basis',
        'm.local_notes',
        'm.status',
        'm.origin',
        'm.published_version',
        'm.version',
      ])
  }

  findById(id: string, db: Executor = this.db): Promise<ImplementationRecord | undefined> {
    return this.select(db).where('m.id', '=', id).executeTakeFirst()
  }

  findByKey(
    key: { itemId: string; regionCode: string; departmentId: string },
    db: Executor = this.db,
  ): Promise<ImplementationRecord | undefined> {
    return this.select(db)
      .where('m.item_id', '=', key.itemId)
      .where('m.region_code', '=', key.regionCode)
      .where('m.department_id', '=', key.departmentId)
      .executeTakeFirst()
  }

  async findMany(filter: {
    regionCodes?: string[]
    departmentId?: string
    itemCode?: string
    publishedOnly?: boolean
    limit: number
    offset: number
  }): Promise<{ items: ImplementationRecord[]; total: number }> {
    let query = this.select(this.db)
    if (filter.regionCodes) query = query.where('m.region_code', 'in', filter.regionCodes)
    if (filter.departmentId) query = query.where('m.department_id', '=', filter.departmentId)
    if (filter.itemCode) query = query.where('i.code', '=', filter.itemCode)
    if (filter.publishedOnly)
      query = query.where('m.published_version', 'is not', null).where('m.status', '=', 'active')
    const [items, count] = await Promise.all([
      query.orderBy('i.code').orderBy('m.region_code').limit(filter.limit).offset(filter.offset).execute(),
      query
        .clearSelect()
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ])
    return { items, total: Number(count.n) }
  }

  /** Published, active implementations of the given items located in the given regions. */
  findPublishedFor(itemIds: string[], regionCodes: string[]): Promise<ImplementationRecord[]> {
    if (itemIds.length === 0 || regionCodes.length === 0) return Promise.resolve([])
    return this.select(this.db)
      .where('m.item_id', 'in', itemIds)
      .where('m.region_code', 'in', regionCodes)
      .where('m.published_version', 'is not', null)
      .where('m.status', '=', 'active')
      .execute()
  }

  findAll(db: Executor = this.db): Promise<ImplementationRecord[]> {
    return this.select(db).orderBy('i.code').orderBy('m.region_code').execute()
  }

  /** Implementations whose recorded code, name, type or legal basis differ from their base item. */
  findInconsistent(regionCodes?: string[]) {
    let query = this.db
      .selectFrom('catalog_implementations as m')
      .innerJoin('catalog_items as i', 'i.id', 'm.item_id')
      .select([
        'm.id',
        'm.region_code',
        'm.department_id',
        'i.code as item_code',
        'm.code',
        'm.name',
        'm.type',
        'm.legal_basis',
        'i.code as expected_code',
        'i.name as expected_name',
        'i.type as expected_type',
        'i.legal_basis as expected_legal_basis',
      ])
      .where((eb) =>
        eb.or([
          eb('m.code', '<>', eb.ref('i.code')),
          eb('m.name', '<>', eb.ref('i.name')),
          eb('m.type', '<>', eb.ref('i.type')),
          eb('m.legal_basis', '<>', eb.ref('i.legal_basis')),
        ]),
      )
    if (regionCodes) query = query.where('m.region_code', 'in', regionCodes)
    return query.orderBy('m.region_code').orderBy('m.department_id').orderBy('i.code').execute()
  }

  async count(regionCodes?: string[]): Promise<number> {
    let query = this.db.selectFrom('catalog_implementations').select((eb) => eb.fn.countAll<number>().as('n'))
    if (regionCodes) query = query.where('region_code', 'in', regionCodes)
    return Number((await query.executeTakeFirstOrThrow()).n)
  }

  async insert(db: Executor, row: ImplementationInsert): Promise<string> {
    const { id } = await db
      .insertInto('catalog_implementations')
      .values({
        item_id: row.itemId,
        region_code: row.regionCode,
        department_id: row.departmentId,
        code: row.code,
        name: row.name,
        type: row.type,
        legal_basis: row.legalBasis,
        local_notes: row.localNotes,
        origin: row.origin,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return id
  }

  async update(
    db: Executor,
    id: string,
    version: number | null,
    changes: Partial<
      Pick<
        ImplementationRecord,
        'code' | 'name' | 'type' | 'legal_basis' | 'local_notes' | 'status' | 'origin'
      >
    >,
  ): Promise<boolean> {
    let query = db
      .updateTable('catalog_implementations')
      .set({ ...changes, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', id)
    if (version !== null) query = query.where('version', '=', version)
    return Number((await query.executeTakeFirst()).numUpdatedRows) === 1
  }
}
