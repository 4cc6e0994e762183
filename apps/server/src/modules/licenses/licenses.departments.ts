import { notFound } from '../../platform/errors.ts'
import { messages } from './licenses.messages.ts'
import type { Department, DepartmentDirectoryPort } from './licenses.ports.ts'

/** How long a node trusts a department it looked up (departments change rarely; issuing reads one each time). */
const DEPARTMENT_CACHE_MS = 30_000

/** The departments licenses are issued by and granted to, looked up through the org module and cached. */
export class DepartmentCache {
  private readonly cached = new Map<string, { at: number; department: Department }>()

  constructor(private readonly directory: DepartmentDirectoryPort) {}

  /** The department, or undefined when there is none of that id. */
  async find(id: string): Promise<Department | undefined> {
    const cached = this.cached.get(id)
    if (cached && Date.now() - cached.at < DEPARTMENT_CACHE_MS) return cached.department
    const department = await this.directory.findDepartment(id)
    if (department) this.cached.set(id, { at: Date.now(), department })
    return department
  }

  /** The department; 404 when there is none. */
  async get(id: string): Promise<Department> {
    const department = await this.find(id)
    if (!department) throw notFound(messages.departmentNotFound)
    return department
  }

  /** The names of some departments (those that exist), for lists of keys and reads. */
  async namesOf(ids: Iterable<string>): Promise<Map<string, Department>> {
    const found = await Promise.all([...new Set(ids)].map((id) => this.find(id)))
    return new Map(found.flatMap((department) => (department ? [[department.id, department]] : [])))
  }
}
