import type { SubmitCase } from '@tongban/contracts'
import type { WorkingDayCalendar } from '@tongban/standards'
import type { AuthenticatedActor } from '../../platform/authz.ts'
import type { Clock } from '../../platform/clock.ts'
import type { Platform } from '../../platform/platform.ts'
import type { AuditWho } from './cases.context.ts'
import {
  type Applicant,
  DEMO_CASES,
  DEMO_DRAFT,
  type DemoCase,
  type FormFacts,
  person,
} from './cases.demo-data.ts'
import type { CasesDependencies, DemoAccount, DemoCatalog, DemoDirectory } from './cases.ports.ts'
import { CasesService } from './cases.service.ts'
import { shanghaiDate } from './cases.time-limits.ts'

/*
 * Demo 办件 (cases.demo-data.ts), made through the use cases (real events, tasks, deadlines, outbox
 * notifications, audit entries) on a clock set back to when each step happened, so the time limits are
 * the real ones: one case is overdue (red) and one has a working day left (yellow) on the day of seeding.
 */

/** A clock the demo sets to the moment of each step. */
class SteppedClock implements Clock {
  private current = new Date()
  now(): Date {
    return new Date(this.current)
  }
  set(at: Date): void {
    this.current = new Date(at)
  }
}

/**
 * A small PDF naming the demo material (ASCII only: the content is a placeholder; the name the applicant
 * gave it is kept with the case). Valid enough to be recognized by content and opened by a viewer.
 */
export function demoPdf(lines: string[]): Buffer {
  const text = lines
    .map((line, i) => `BT /F1 12 Tf 72 ${760 - i * 18} Td (${line.replace(/[()\\]/g, '')}) Tj ET`)
    .join('\n')
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(text)} >>\nstream\n${text}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ]
  let body = '%PDF-1.4\n'
  const offsets: number[] = []
  objects.forEach((object, i) => {
    offsets.push(Buffer.byteLength(body))
    body += `${i + 1} 0 obj\n${object}\nendobj\n`
  })
  const xref = Buffer.byteLength(body)
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return Buffer.from(body, 'latin1')
}

/** The Asia/Shanghai date `n` working days before `today` (today itself for 0). */
function workingDaysBefore(calendar: WorkingDayCalendar, today: string, n: number): string {
  if (n === 0) return today
  let t = Date.parse(`${today}T00:00:00Z`)
  for (;;) {
    t -= 86_400_000
    const day = new Date(t).toISOString().slice(0, 10)
    if (calendar.isWorkingDay(day) && calendar.workingDaysBetween(day, today) === n) return day
  }
}

/**
 * Loads the demo cases and a draft; does nothing when any case exists already (so seeding twice, or
 * seeding an installation in use, changes nothing). Returns how many cases and drafts it made.
 */
export async function seedCasesDemo(
  platform: Platform,
  deps: CasesDependencies,
  directory: DemoDirectory,
  catalog: DemoCatalog,
): Promise<{ cases: number; drafts: number }> {
  const any = await platform.db.selectFrom('cases').select('id').limit(1).executeTakeFirst()
  if (any) return { cases: 0, drafts: 0 }
  const clock = new SteppedClock()
  const service = new CasesService({ ...platform, clock }, deps)
  const seed = new DemoSeed(
    service,
    clock,
    directory,
    catalog,
    await service.calendar(),
    platform.clock.now(),
  )
  for (const demo of DEMO_CASES) await seed.fileCase(demo)
  await seed.saveDraft()
  return { cases: DEMO_CASES.length, drafts: 1 }
}

/** Who is who in the demo, found once each, and the moments of the demo's days. */
class DemoSeed {
  private readonly actors = new Map<string, AuthenticatedActor>()
  private readonly accounts = new Map<string, DemoAccount>()
  private readonly today: string

  constructor(
    private readonly service: CasesService,
    private readonly clock: SteppedClock,
    private readonly directory: DemoDirectory,
    private readonly catalog: DemoCatalog,
    private readonly calendar: WorkingDayCalendar,
    private readonly realNow: Date,
  ) {
    this.today = shanghaiDate(realNow)
  }

  /** Files a demo case as its applicant, its materials uploaded first, then makes its steps. */
  async fileCase(demo: DemoCase): Promise<void> {
    const applicant = await this.actorOf(demo.applicant.phone, demo.applicant.company)
    const submittedAt = this.momentOf(demo.submitted.daysAgo, demo.submitted.minute)
    this.clock.set(new Date(submittedAt.getTime() - 5 * 60_000))
    const materials: SubmitCase['materials'] = []
    for (const [key, name] of demo.files) {
      const content = demoPdf([
        'Tongban demo material',
        `case ${demo.key}, material ${key}`,
        `uploaded by account ${applicant.accountId}`,
      ])
      const stored = await this.service.storeUpload(content, name, applicant)
      materials.push({ key, fileSha256: stored.sha256, name })
    }
    this.clock.set(submittedAt)
    const input: SubmitCase = {
      implementationId: await this.implementationOf(demo.item, demo.region),
      formData: demo.form(await this.factsOf(demo.applicant)),
      materials,
      declaration: true,
    }
    const answer = await this.service.submit(input, `demo-${demo.key}`, applicant, whoOf(applicant))
    for (const step of demo.steps) {
      this.clock.set(this.momentOf(step.daysAgo, step.minute))
      const actor = await this.actorOf(step.by)
      const { version } = await this.service.getVisible(answer.body.id, actor)
      await this.service.move(answer.body.id, step.move, { version, ...step.body }, actor, whoOf(actor))
    }
  }

  /** The demo draft of 张伟. */
  async saveDraft(): Promise<void> {
    const owner = await this.actorOf(DEMO_DRAFT.applicant.phone)
    this.clock.set(this.momentOf(1, 400))
    await this.service.saveDraft(
      {
        implementationId: await this.implementationOf(DEMO_DRAFT.item, DEMO_DRAFT.region),
        formData: { ...person(await this.factsOf(DEMO_DRAFT.applicant)), ...DEMO_DRAFT.form },
        materials: [],
      },
      owner,
    )
  }

  /** `minute` after 9:00, `daysAgo` working days before the day of seeding; today's steps before now. */
  private momentOf(daysAgo: number, minute: number): Date {
    if (daysAgo === 0) return new Date(this.realNow.getTime() - (180 - minute) * 60_000)
    const day = workingDaysBefore(this.calendar, this.today, daysAgo)
    return new Date(Date.parse(`${day}T09:00:00+08:00`) + minute * 60_000)
  }

  private async account(login: string): Promise<DemoAccount> {
    let found = this.accounts.get(login)
    if (!found) {
      found = await this.directory.findAccount(login)
      if (!found) throw new Error(`cases demo: no demo account ${login}`)
      this.accounts.set(login, found)
    }
    return found
  }

  private async actorOf(login: string, companyName?: string): Promise<AuthenticatedActor> {
    const key = `${login}|${companyName ?? ''}`
    let actor = this.actors.get(key)
    if (!actor) {
      const { id } = await this.account(login)
      const companyId = companyName ? (await this.directory.findCompany(id, companyName))?.id : undefined
      if (companyName && !companyId) throw new Error(`cases demo: ${login} does not act for ${companyName}`)
      actor = await this.directory.actorFor(id, companyId)
      if (!actor) throw new Error(`cases demo: no actor for ${login}`)
      this.actors.set(key, actor)
    }
    return actor
  }

  /** What the demo forms are filled in from: the applicant, or the company an agent acts for. */
  private async factsOf(applicant: Applicant): Promise<FormFacts> {
    const who = await this.account(applicant.phone)
    const facts: FormFacts = { name: who.name, idNumber: who.idNumber ?? '', phone: applicant.phone }
    if (!applicant.company) return facts
    const firm = await this.directory.findCompany(who.id, applicant.company)
    if (!firm) throw new Error(`cases demo: ${applicant.phone} does not act for ${applicant.company}`)
    return {
      ...facts,
      company: { name: firm.name, uscc: firm.uscc, legalRepresentative: firm.legalRepresentative },
    }
  }

  private async implementationOf(item: string, region: string): Promise<string> {
    const id = await this.catalog.findImplementation(item, region)
    if (!id) throw new Error(`cases demo: ${item} is not offered in ${region}`)
    return id
  }
}

function whoOf(actor: AuthenticatedActor): AuditWho {
  return { actorId: actor.accountId, actorKind: actor.kind, ip: null, requestId: null }
}
