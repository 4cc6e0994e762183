import type { StaffRole } from '../../platform/authz.ts'
import { AppError } from '../../platform/errors.ts'
import type { CliCommand } from '../cli.ts'
import { orgService } from '../org/index.ts'
import { demoTotpSecret, totpCode, totpUri } from './identity.secrets.ts'
import { ADMIN_ROLES } from './identity.service.ts'
import { identityService } from './index.ts'

function problemText(error: unknown): string {
  if (!(error instanceof AppError)) throw error
  const fields = (error.errors ?? []).map((e) => `${e.path}: ${e.message.en}`)
  return [error.detail?.en ?? error.message, ...fields].join('\n  ')
}

/**
 * `tongban admin create`: bootstraps one of the three administrators (三员) of a fresh install with a
 * generated password printed once. Audited with the system as actor.
 */
export const adminCreateCommand: CliCommand = {
  command: 'admin',
  subcommand: 'create',
  usage:
    'admin create --username <u> --name <n> --role <system_admin|security_admin|audit_admin> --region <code>',
  summary: '  create an administrator (三员) with a generated password, printed once',
  options: {
    username: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string' },
    region: { type: 'string' },
  },
  async run(platform, values) {
    const { username, name, role, region } = values
    if (
      typeof username !== 'string' ||
      typeof name !== 'string' ||
      typeof role !== 'string' ||
      typeof region !== 'string'
    ) {
      console.error(`usage: tongban ${adminCreateCommand.usage}`)
      return 2
    }
    if (!ADMIN_ROLES.includes(role as StaffRole)) {
      console.error(`--role must be one of ${ADMIN_ROLES.join(', ')}`)
      return 2
    }
    await orgService(platform).syncNationalRegions()
    try {
      const { account, password } = await identityService(platform).createAdmin({
        username: username.toLowerCase(),
        name,
        role: role as StaffRole,
        regionCode: region,
      })
      console.log(`created ${role} ${account.username} (${account.name}) for region ${region}`)
      console.log(`initial password (shown once): ${password}`)
      console.log('The second factor (TOTP) is enrolled at the first login.')
      return 0
    } catch (error) {
      console.error(`could not create the administrator:\n  ${problemText(error)}`)
      return 1
    }
  },
}

/**
 * `tongban admin totp`: the current TOTP code of a demo staff account. Only accounts whose secret is the
 * demo secret derived from this install's master key qualify; a really enrolled secret is never shown.
 */
export const adminTotpCommand: CliCommand = {
  command: 'admin',
  subcommand: 'totp',
  usage: 'admin totp --username <u>',
  summary: 'show the current second-factor code of a demo staff account',
  options: { username: { type: 'string' } },
  async run(platform, values) {
    if (typeof values.username !== 'string') {
      console.error(`usage: tongban ${adminTotpCommand.usage}`)
      return 2
    }
    const username = values.username.toLowerCase()
    const identity = identityService(platform)
    const account = await identity.repository.findAccountBy('username', username)
    const secret = account ? await identity.totpSecretOf(account.id) : undefined
    const demoSecret = demoTotpSecret(platform.vault, username)
    if (!account || secret !== demoSecret) {
      console.error(`${username} is not a demo staff account with a demo second factor`)
      return 1
    }
    const now = platform.clock.now()
    const remaining = 30 - (Math.floor(now.getTime() / 1000) % 30)
    console.log(`${totpCode(secret, now)}  (valid for ${remaining} more seconds)`)
    console.log(`authenticator app: ${totpUri(secret, username)}`)
    return 0
  },
}

/** The identity module's CLI commands. */
export const identityCliCommands: CliCommand[] = [adminCreateCommand, adminTotpCommand]
