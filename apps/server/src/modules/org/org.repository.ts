import { type Kysely, type Selectable, sql, type Transaction } from 'kysely'
import type { Database } from '../../platform/db/schema.ts'

/** 省、市、县、乡、村: a region's level in GB/T 2260 and its local extension. */
export type RegionLevel = Selectable<Database['regions']>['level']

type Executor = Kysely<Database> | Transaction<Database>

export interface RegionRecord {
  code: string
  name: string
  level: RegionLevel
  parent_code: string | null
  source: Selectable<Database['regions']>['source']
}
export interface DepartmentRecord {
  id: string
  region_code: string
  region_name: string
  name: string
  short_name: string
  kind: string
  uscc: string
  phone: string | null
  address: string | null
  version: number
}

export interface DepartmentFilter {
  regionCodes?: string[]
  kind?: string
  q?: string
  limit: number
  offset: number
}

/** Queries of the org module's tables; no rules here. */
export class OrgRepository {
  constructor(private readonly db: Kysely<Database>) {}

  countRegions(source: 'gb2260' | 'local'): Promise<number> {
    return this.db
      .selectFrom('regions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('source', '=', source)
      .executeTakeFirstOrThrow()
      .then((row) => Number(row.n))
  }

  /** Inserts or renames regions of the national table, parents before children. */
  async upsertRegions(
    rows: { code: string; name: string; level: RegionLevel; parentCode: string | null }[],
  ): Promise<void> {
    for (let i = 0; i < rows.length; i += 500) {
      const chunk = rows.slice(i, i + 500)
      await this.db
        .insertInto('regions')
        .values(
          chunk.map((r) => ({
            code: r.code,
            name: r.name,
            level: r.level,
            parent_code: r.parentCode,
            source: 'gb2260',
          })),
        )
        .onConflict((oc) =>
          oc
            .column('code')
            .doUpdateSet((eb) => ({ name: eb.ref('excluded.name'), level: eb.ref('excluded.level') })),
        )
        .execute()
    }
  }

  insertRegion(
    db: Executor,
    row: { code: string; name: string; level: RegionLevel; parentCode: string },
  ): Promise<unknown> {
    return db
      .insertInto('regions')
      .values({
        code: row.code,
        name: row.name,
        level: row.level,
        parent_code: row.parentCode,
        source: 'local',
      })
      .execute()
  }

  findRegion(code: string): Promise<RegionRecord | undefined> {
    return this.db
      .selectFrom('regions')
      .select(['code', 'name', 'level', 'parent_code', 'source'])
      .where('code', '=', code)
      .executeTakeFirst()
  }

  findRegionChildren(code: string): Promise<RegionRecord[]> {
    return this.db
      .selectFrom('regions')
      .select(['code', 'name', 'level', 'parent_code', 'source'])
      .where('parent_code', '=', code)
      .orderBy('code')
      .execute()
  }

  /** The region and all its ancestors, nearest first. */
  async findRegionPath(code: string): Promise<RegionRecord[]> {
    const result = await sql<RegionRecord>`
      WITH RECURSIVE path AS (
        SELECT code, name, level, parent_code, source, 0 AS depth FROM regions WHERE code = ${code}
        UNION ALL
        SELECT r.code, r.name, r.level, r.parent_code, r.source, p.depth + 1 FROM regions r JOIN path p ON r.code = p.parent_code
      )
      SELECT code, name, level, parent_code, source FROM path ORDER BY depth`.execute(this.db)
    return result.rows
  }

  /** Codes of the region and every region below it. */
  async findSubtreeCodes(code: string): Promise<string[]> {
    const result = await sql<{ code: string }>`
      WITH RECURSIVE tree AS (
        SELECT code FROM regions WHERE code = ${code}
        UNION ALL
        SELECT r.code FROM regions r JOIN tree t ON r.parent_code = t.code
      )
      SELECT code FROM tree`.execute(this.db)
    return result.rows.map((r) => r.code)
  }

  private departments(db: Executor = this.db) {
    return db
      .selectFrom('departments as d')
      .innerJoin('regions as r', 'r.code', 'd.region_code')
      .select([
        'd.id',
        'd.region_code',
        'r.name as region_name',
        'd.name',
        'd.short_name',
        'd.kind',
        'd.uscc',
        'd.phone',
        'd.address',
        'd.version',
      ])
  }

  findDepartmentById(id: string, db: Executor = this.db): Promise<DepartmentRecord | undefined> {
    return this.departments(db).where('d.id', '=', id).executeTakeFirst()
  }

  async findDepartments(filter: DepartmentFilter): Promise<{ items: DepartmentRecord[]; total: number }> {
    let query = this.departments()
    if (filter.regionCodes) query = query.where('d.region_code', 'in', filter.regionCodes)
    if (filter.kind) query = query.where('d.kind', '=', filter.kind)
    if (filter.q)
      query = query.where((eb) =>
        eb.or([
          eb('d.name', 'like', `%${escapeLike(filter.q!)}%`),
          eb('d.short_name', 'like', `%${escapeLike(filter.q!)}%`),
        ]),
      )
    const [items, total] = await Promise.all([
      query.orderBy('d.region_code').orderBy('d.name').limit(filter.limit).offset(filter.offset).execute(),
      query
        .clearSelect()
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ])
    return { items, total: Number(total.n) }
  }

  insertDepartment(
    db: Executor,
    row: {
      regionCode: string
      name: string
      shortName: string
      kind: string
      uscc: string
      phone: string | null
      address: string | null
    },
  ): Promise<{ id: string }> {
    return db
      .insertInto('departments')
      .values({
        region_code: row.regionCode,
        name: row.name,
        short_name: row.shortName,
        kind: row.kind,
        uscc: row.uscc,
        phone: row.phone,
        address: row.address,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  }

  /** Applies a change only if the row is still at `version`; returns false when someone changed it first. */
  async updateDepartment(
    db: Executor,
    id: string,
    version: number,
    changes: { name?: string; short_name?: string; phone?: string; address?: string },
  ): Promise<boolean> {
    const result = await db
      .updateTable('departments')
      .set({ ...changes, version: version + 1, updated_at: sql`now()` })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  }
}

/** Escapes LIKE wildcards in user input. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`)
}
