import type { FieldError, WalkInApplicant } from '@tongban/contracts'
import { validateIdNumber, validateUscc } from '@tongban/standards'
import type { Transaction } from 'kysely'
import type { AuthenticatedActor } from '../../../platform/authz.ts'
import type { Database } from '../../../platform/db/schema.ts'
import { AppError, invalid } from '../../../platform/errors.ts'
import type { AuditWho } from '../cases.context.ts'
import { invalidField, messages } from '../cases.messages.ts'
import type { ApplicantAccount, ApplicantAccountsPort, CounterAccount } from '../cases.ports.ts'

/** A person as the clerk verified them: the ID number in its standard form. */
export interface VerifiedPerson {
  name: string
  idNumber: string
  phone?: string | undefined
}

/**
 * Who applies at the window, as verified: the person (for a company, its agent 经办人), where the request
 * names them (`/applicant` or `/applicant/agent`), and the company.
 */
export interface VerifiedApplicant {
  person: VerifiedPerson
  personPath: string
  company?: { name: string; uscc: string }
}

/** The applicant's accounts as found: the person's and the company's, when they exist. */
export interface FoundAccounts {
  person: ApplicantAccount | undefined
  company: ApplicantAccount | undefined
}

/**
 * A walk-in applicant's numbers checked against the national standards (GB 11643, GB 32100): field errors
 * under `/applicant`, or, when there are none, the applicant as verified.
 */
export function checkWalkInApplicant(
  applicant: WalkInApplicant,
  today: string,
): { errors: FieldError[]; verified: VerifiedApplicant | undefined } {
  const errors: FieldError[] = []
  const checkPerson = (given: VerifiedPerson, base: string): VerifiedPerson | undefined => {
    const id = validateIdNumber(given.idNumber.trim(), { today })
    if (id.ok) return { name: given.name.normalize('NFC').trim(), idNumber: id.value, phone: given.phone }
    errors.push({ path: `${base}/idNumber`, code: id.error.code, message: id.error.message })
    return undefined
  }
  if (applicant.kind === 'person') {
    const person = checkPerson(applicant, '/applicant')
    return { errors, verified: person && { person, personPath: '/applicant' } }
  }
  const uscc = validateUscc(applicant.uscc.trim())
  if (!uscc.ok) errors.push({ path: '/applicant/uscc', code: uscc.error.code, message: uscc.error.message })
  const person = checkPerson(applicant.agent, '/applicant/agent')
  if (!person || !uscc.ok) return { errors, verified: undefined }
  const company = { name: applicant.name.normalize('NFC').trim(), uscc: uscc.value }
  return { errors, verified: { person, personPath: '/applicant/agent', company } }
}

/**
 * The applicant's existing accounts: found by their numbers, they must carry the names on the documents
 * (400 otherwise). A person without an account needs a phone of their own to open one: an account opened
 * at the window has no password, and its holder activates it with a code sent to that phone.
 */
export async function findApplicantAccounts(
  accounts: ApplicantAccountsPort,
  applicant: VerifiedApplicant,
  clerk: AuthenticatedActor,
  who: AuditWho,
): Promise<FoundAccounts> {
  const { person, personPath } = applicant
  const found = await accounts.findPerson(person.idNumber, clerk, who)
  if (found && !accounts.sameName(found.name, person.name))
    throw invalidField(`${personPath}/name`, 'mismatch', messages.personMismatch)
  if (!found) {
    if (!person.phone) throw invalidField(`${personPath}/phone`, 'required', messages.phoneToOpen)
    if (await accounts.phoneInUse(person.phone))
      throw invalidField(`${personPath}/phone`, 'duplicate', messages.phoneInUse)
  }
  const company = applicant.company && (await accounts.findCompany(applicant.company.uscc))
  if (applicant.company && company && !accounts.sameName(company.name, applicant.company.name))
    throw invalidField('/applicant/name', 'mismatch', messages.companyMismatch)
  return { person: found, company: company || undefined }
}

/**
 * The accounts the applicant lacks, opened in the caller's transaction (real-name L3 by counter, no
 * password): they commit with the case or not at all. The agent (or the person), the company, and the
 * ids of the accounts opened.
 */
export async function openApplicantAccounts(
  trx: Transaction<Database>,
  accounts: ApplicantAccountsPort,
  applicant: VerifiedApplicant,
  found: FoundAccounts,
  clerk: AuthenticatedActor,
  who: AuditWho,
): Promise<{ agent: ApplicantAccount; company: ApplicantAccount | undefined; created: string[] }> {
  const open = async (account: CounterAccount, base: string) => {
    try {
      return await accounts.open(trx, account, clerk, who)
    } catch (error) {
      // the identity module names fields of the account; the caller sent them under the applicant
      if (error instanceof AppError && error.code === 'validation' && error.errors)
        throw invalid(error.errors.map((e) => ({ ...e, path: `${base}${e.path}` })))
      throw error
    }
  }
  const { person, company } = applicant
  const agent = found.person ?? (await open({ kind: 'person', ...person }, applicant.personPath))
  const firm = company && (found.company ?? (await open({ kind: 'company', ...company }, '/applicant')))
  const created = [...(found.person ? [] : [agent.id]), ...(firm && !found.company ? [firm.id] : [])]
  return { agent, company: firm || undefined, created }
}
