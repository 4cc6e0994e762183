import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig, publicUrlOf, variables } from './config.ts'

describe('loadConfig', () => {
  it('loads the documented defaults from an empty environment', () => {
    const config = loadConfig({})
    expect(Object.keys(config).sort()).toEqual(Object.keys(variables).sort())
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      dataDir: path.resolve('./data'),
      databasePoolSize: 20,
      role: 'all',
      logLevel: 'info',
      bodyLimit: 1_048_576,
      uploadLimit: 20_971_520,
      rateLimitPerMinute: 1200,
      auditRetentionDays: 180,
      shutdownTimeoutMs: 10_000,
      demoSeed: false,
    })
    for (const key of ['publicUrl', 'databaseUrl', 'masterKey', 'natsUrl', 'instanceName'] as const)
      expect(config[key], key).toBeUndefined()
  })

  it('parses good values, trimming surrounding spaces', () => {
    const config = loadConfig({
      PORT: ' 8080 ',
      HOST: '0.0.0.0',
      PUBLIC_URL: 'https://zwfw.example.gov.cn/',
      DATA_DIR: '/var/lib/tongban',
      DATABASE_URL: 'postgresql://tongban@db:5432/tongban',
      ROLE: 'worker',
      MASTER_KEY: 'AB'.repeat(32),
      NATS_URL: 'nats://nats:4222',
      AUDIT_RETENTION_DAYS: '365',
      SEED_DEMO: 'true',
      INSTANCE_NAME: '某省政务服务网',
    })
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      dataDir: '/var/lib/tongban',
      databaseUrl: 'postgresql://tongban@db:5432/tongban',
      role: 'worker',
      masterKey: 'ab'.repeat(32),
      natsUrl: 'nats://nats:4222',
      auditRetentionDays: 365,
      demoSeed: true,
      instanceName: '某省政务服务网',
    })
    expect(publicUrlOf(config)).toBe('https://zwfw.example.gov.cn')
    expect(publicUrlOf(loadConfig({ PORT: '4000' }))).toBe('http://127.0.0.1:4000')
  })

  it('lets callers override parsed values', () => {
    expect(loadConfig({ PORT: '1' }, { port: 0, databaseUrl: 'postgres://x/y' })).toMatchObject({
      port: 0,
      databaseUrl: 'postgres://x/y',
    })
  })

  it('reports every bad variable at once, by name', () => {
    const bad = {
      PORT: 'eighty',
      PUBLIC_URL: 'ftp://example.com',
      DATABASE_URL: 'mysql://root@db/tongban',
      DATABASE_POOL_SIZE: '0',
      ROLE: 'boss',
      LOG_LEVEL: 'verbose',
      BODY_LIMIT_BYTES: '1e6',
      UPLOAD_LIMIT_BYTES: '-1',
      RATE_LIMIT_PER_MINUTE: '1.5',
      MASTER_KEY: 'too-short',
      NATS_URL: 'not a url',
      AUDIT_RETENTION_DAYS: '30',
      SHUTDOWN_TIMEOUT_MS: 'soon',
      SEED_DEMO: 'yes',
    }
    let error: unknown
    try {
      loadConfig(bad)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ConfigError)
    const message = (error as Error).message
    for (const name of Object.keys(bad)) expect(message).toMatch(new RegExp(`^  - ${name} `, 'm'))
    expect(message.split('\n').filter((line) => line.startsWith('  - '))).toHaveLength(
      Object.keys(bad).length,
    )
    // good variables are not blamed
    expect(message).not.toMatch(/HOST|DATA_DIR|INSTANCE_NAME/)
    // the reason is given, with the offending value where it is not a secret
    expect(message).toContain('PORT must be a whole number, got "eighty"')
    expect(message).toContain('AUDIT_RETENTION_DAYS must be between 180 and 36500, got 30')
    expect(message).toContain('ROLE must be one of all, api, worker, got "boss"')
    expect(message).not.toContain('too-short')
  })

  it('refuses ports outside 0-65535', () => {
    expect(() => loadConfig({ PORT: '65536' })).toThrow(/PORT must be between 0 and 65535/)
  })

  it('documents every variable with a name and a meaning', () => {
    for (const variable of Object.values(variables)) {
      expect(variable.name).toMatch(/^[A-Z][A-Z0-9_]+$/)
      expect(variable.doc.length).toBeGreaterThan(10)
      expect(() => variable.parse(variable.default ?? '')).not.toThrow()
    }
  })
})
