import { AppError } from '../../platform/errors.ts'
import type { IdentityService } from '../identity/index.ts'
import { sameRealName } from '../identity/index.ts'
import type { OrgService } from '../org/index.ts'
import type { ApplicantAccountsPort, DepartmentDirectoryPort } from './cases.ports.ts'

/** The identity module's service seen through the cases module's ApplicantAccountsPort (一窗受理). */
export function applicantAccountsAdapter(identity: IdentityService): ApplicantAccountsPort {
  return {
    async findPerson(idNumber, clerk, who) {
      try {
        // the clerk's look-up by the ID card in front of them: audited by the identity module
        const person = await identity.lookUpPerson(idNumber, clerk, who)
        return { id: person.id, name: person.name }
      } catch (error) {
        if (error instanceof AppError && error.code === 'not-found') return undefined
        throw error
      }
    },
    async findCompany(uscc) {
      const company = await identity.findCompanyByUscc(uscc)
      return company && { id: company.id, name: company.name }
    },
    phoneInUse: (phone) => identity.phoneInUse(phone),
    sameName: sameRealName,
    async open(trx, account, clerk, who) {
      const opened = await identity.openAccountAtCounter(trx, account, clerk, who)
      return { id: opened.id, name: opened.name }
    },
  }
}

/** The org module's departments seen through the cases module's DepartmentDirectoryPort. */
export function departmentDirectoryAdapter(org: OrgService): DepartmentDirectoryPort {
  return {
    async findDepartmentName(departmentId) {
      // a department id that is not a uuid (a fake catalog's) is simply unknown
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(departmentId))
        return undefined
      return (await org.findDepartment(departmentId))?.name
    },
  }
}
