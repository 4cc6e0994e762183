import { parseArgs } from 'node:util'
import { seedDemo, startServer } from './main.ts'
import { cliCommands } from './modules/cli.ts'
import { type Config, ConfigError, loadConfig, StartupRefused } from './platform/config.ts'
import { checkMasterKey } from './platform/crypto.ts'
import { prepareDatabase } from './platform/db/prepare.ts'
import { createPlatform, type Platform } from './platform/platform.ts'

const HELP = `tongban — 通办 integrated online government service platform

Usage:
  tongban serve                 run the server (API and workers; see ROLE)
  tongban migrate               apply pending database migrations
  tongban seed --demo           load the demo province, departments, accounts and catalog
  tongban audit verify          walk the audit hash chain and report the first broken link
  tongban audit archive         move audit entries older than AUDIT_RETENTION_DAYS to the archive
${cliCommands.map((c) => `  tongban ${c.usage.padEnd(28)}${c.summary}`).join('\n')}

Configuration comes from environment variables: see docs/configuration.md.`

async function withPlatform<T>(
  config: Config,
  run: (platform: Platform) => Promise<T>,
  migrate = true,
  checkKey = true,
): Promise<T> {
  const platform = await createPlatform(config)
  try {
    if (migrate) await prepareDatabase(platform)
    else if (checkKey) await checkMasterKey(platform.db, platform.masterKey, platform.vault, true)
    return await run(platform)
  } finally {
    await platform.database.close()
  }
}

/**
 * `tongban audit verify`: walks the chain, then checks it against every signed checkpoint in the file
 * store. Exit 0 when both hold, 1 otherwise, naming the first entry affected.
 */
async function auditVerify(platform: Platform): Promise<number> {
  const result = await platform.audit.verify()
  const { count, oldestAt } = result.unsealed
  if (count > 0)
    console.log(
      `${count} committed entries not sealed into the chain yet (oldest written ${oldestAt?.toISOString()}); a worker process seals them`,
    )
  if (result.ok) console.log(`audit chain intact: ${result.checked} entries verified`)
  else
    console.error(
      `audit chain BROKEN at entry ${result.brokenAt?.seq} (${result.brokenAt?.reason}); ${result.checked} entries before it verified`,
    )
  const anchored = await platform.auditCheckpoints.verify()
  if (anchored.ok)
    console.log(
      `audit checkpoints: ${anchored.checkpoints} verified, the chain matches them up to entry ${anchored.coveredUpTo} (signing key ${platform.auditCheckpoints.publicKey})`,
    )
  else {
    const affected = anchored.firstAffected!
    console.error(
      `audit chain does NOT match its checkpoints from entry ${affected.seq} (${affected.reason}, checkpoint ${affected.checkpoint})`,
    )
  }
  return result.ok && anchored.ok ? 0 : 1
}

async function main(argv: string[]): Promise<number> {
  const [command, sub, ...rest] = argv
  if (!command || command === 'help' || command === '--help') {
    console.log(HELP)
    return 0
  }
  const config = loadConfig()
  switch (command) {
    case 'serve': {
      const server = await startServer(config)
      server.platform.logger.info({ url: server.url, role: config.role }, 'tongban is running')
      let stopping = false
      const stop = (signal: string) => {
        if (stopping) return
        stopping = true
        server.platform.logger.info({ signal }, 'shutting down')
        const force = setTimeout(() => process.exit(1), config.shutdownTimeoutMs)
        force.unref()
        server.close().then(
          () => process.exit(0),
          () => process.exit(1),
        )
      }
      process.once('SIGTERM', () => stop('SIGTERM'))
      process.once('SIGINT', () => stop('SIGINT'))
      return -1
    }
    case 'migrate':
      return withPlatform(
        config,
        async (platform) => {
          const applied = await prepareDatabase(platform)
          console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date')
          return 0
        },
        false,
        false,
      )
    case 'seed': {
      if (sub !== '--demo') {
        console.error('usage: tongban seed --demo')
        return 2
      }
      // the modules must be registered (as in a running server) for their demo data to go through their services
      const server = await startServer({ ...config, role: 'api' }, { listen: false })
      try {
        console.log((await seedDemo(server.platform)) ? 'demo data loaded' : 'demo data was already loaded')
        return 0
      } finally {
        await server.close()
      }
    }
    case 'audit':
      // read the chain as it is: verifying a restored backup must not upgrade (write to) it first
      return withPlatform(
        config,
        async (platform) => {
          if (sub === 'verify') return auditVerify(platform)
          if (sub === 'archive') {
            console.log(`archived ${await platform.audit.archive(config.auditRetentionDays)} entries`)
            return 0
          }
          console.error('usage: tongban audit verify | tongban audit archive')
          return 2
        },
        false,
      )
    default: {
      const extra = cliCommands.find((c) => c.command === command && c.subcommand === sub)
      if (!extra) {
        console.error(`unknown command: ${argv.join(' ')}\n\n${HELP}`)
        return 2
      }
      const { values } = parseArgs({ args: rest, options: extra.options, strict: true })
      return withPlatform(config, (platform) =>
        extra.run(platform, values as Record<string, string | boolean | undefined>),
      )
    }
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code)
  },
  (error: unknown) => {
    console.error(
      error instanceof ConfigError || error instanceof StartupRefused || error instanceof TypeError
        ? error.message
        : error,
    )
    process.exit(1)
  },
)
