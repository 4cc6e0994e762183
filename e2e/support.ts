/// <reference lib="dom" />
// page.evaluate() callbacks run in the browser.
import { AxeBuilder } from '@axe-core/playwright'
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { type RunningApp, startApp } from './app.ts'
import { launchBrowser } from './browser.ts'

/** A desktop window. */
export const DESKTOP = { width: 1280, height: 800 }
/** An iPhone SE sized phone. */
export const PHONE = { width: 375, height: 667 }

/** Handle on the app and browser shared by the tests of one file. */
export interface BrowserApp {
  /** A fresh page in a new context (empty storage); Chinese browser locale, desktop size by default. */
  newPage: (options?: BrowserContextOptions) => Promise<Page>
  /** Absolute URL of an app path. */
  url: (path: string) => string
  /** The current TOTP code of a demo staff account. */
  totp: (username: string) => string
  /** What the local notifier has sent so far (SMS, e-mail), oldest first. */
  notifications: RunningApp['notifications']
  /** Keeps the contexts of the next tests open (a journey spread over several tests) until released. */
  keepContexts: (keep: boolean) => void
}

/** Starts the app and chromium once per test file; each test gets fresh contexts, closed after it. */
export function useBrowserApp(): BrowserApp {
  let app: RunningApp | undefined
  let browser: Browser | undefined
  const contexts: BrowserContext[] = []
  let keep = false

  beforeAll(async () => {
    app = await startApp()
    browser = await launchBrowser()
  })
  afterEach(async () => {
    if (keep) return
    await Promise.all(contexts.splice(0).map((context) => context.close()))
  })
  afterAll(async () => {
    await browser?.close()
    await app?.close()
  })

  return {
    async newPage(options) {
      if (!browser) throw new Error('browser not started')
      const context = await browser.newContext({ locale: 'zh-CN', viewport: DESKTOP, ...options })
      contexts.push(context)
      return context.newPage()
    },
    url(path) {
      if (!app) throw new Error('app not started')
      return new URL(path, app.url).href
    },
    totp(username) {
      if (!app) throw new Error('app not started')
      return app.totp(username)
    },
    notifications() {
      if (!app) throw new Error('app not started')
      return app.notifications()
    },
    keepContexts(next) {
      keep = next
    },
  }
}

/** Opens a path and waits until the area's chunk has rendered its first heading. */
export async function open(page: Page, url: string): Promise<void> {
  await page.goto(url)
  await page.locator('h1').first().waitFor()
}

/** Base font size of the page body in CSS pixels. */
export function bodyFontSize(page: Page): Promise<number> {
  return page.evaluate(() => Number.parseFloat(getComputedStyle(document.body).fontSize))
}

/** How far the page is wider than the viewport (0 when it has no horizontal scroll). */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
}

/** Demo password of every demo account (docs/demo-accounts.md). */
export const DEMO_PASSWORD = 'Tongban@2026'

/** Who logs in on Tongban's own OpenID Provider pages, and how far the provider's stages go. */
export interface Login {
  /** ID number, phone or staff username. */
  login: string
  password?: string
  /** A staff account's TOTP code, asked for after the password. */
  totp?: () => string
  /** The company to act for (法人经办人), by name; the person themself when absent. */
  actingFor?: string
}

/** The TOTP code last used per login: the provider accepts a code once, so a second login waits for the next. */
const usedCodes = new Map<string, string>()

/** A TOTP code of the login not used yet (waits up to one 30-second period for the next code). */
async function freshTotp(login: string, totp: () => string): Promise<string> {
  const deadline = Date.now() + 31_000
  let code = totp()
  while (code === usedCodes.get(login) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250))
    code = totp()
  }
  usedCodes.set(login, code)
  return code
}

/**
 * Completes a login on the provider's pages (password → second factor → whom to act for → consent)
 * once the app has sent the browser there, and waits until the browser is back in the app.
 */
export async function loginOnProvider(page: Page, who: Login): Promise<void> {
  await page.waitForURL(/\/oidc\/interaction\//)
  await page.locator('#login').fill(who.login)
  await page.locator('#password').fill(who.password ?? DEMO_PASSWORD)
  await page.locator('button[type="submit"].primary').click()
  for (let stage = 0; stage < 6; stage++) {
    await page.waitForLoadState('domcontentloaded')
    const url = new URL(page.url())
    if (!url.pathname.startsWith('/oidc/')) break
    if (await page.locator('#password').count()) {
      const error = await page
        .locator('#form-error, .error')
        .first()
        .textContent()
        .catch(() => '')
      throw new Error(`login refused for ${who.login}: ${error}`)
    }
    if (await page.locator('#code').count()) {
      if (!who.totp) throw new Error(`${who.login} is asked for a TOTP code`)
      await page.locator('#code').fill(await freshTotp(who.login, who.totp))
      await page.locator('button[type="submit"].primary').click()
      continue
    }
    if (await page.locator('input[name="company"]').count()) {
      if (who.actingFor) await page.locator('label', { hasText: who.actingFor }).click()
      else await page.locator('#company-self').check()
      await page.locator('button[type="submit"].primary').click()
      continue
    }
    if (await page.locator('button[name="decision"][value="allow"]').count()) {
      await page.locator('button[name="decision"][value="allow"]').click()
      continue
    }
    await page.waitForTimeout(200)
  }
  await page.waitForURL((url) => !url.pathname.startsWith('/oidc/') && !url.pathname.startsWith('/auth/'))
}

/** Opens an app page that asks for login, logs in through the provider, and waits for the page again. */
export async function openLoggedIn(page: Page, url: string, who: Login): Promise<void> {
  await open(page, url)
  await page
    .getByRole('button', { name: /登\s*录$/ })
    .last()
    .click()
  await loginOnProvider(page, who)
  await page.locator('h1').first().waitFor()
}

/** Serious and critical axe-core violations (WCAG 2.x A/AA and best practice), summarised for a failure. */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.waitForLoadState('networkidle')
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze()
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.impact} ${violation.id}: ${violation.help} — ${violation.nodes
          .slice(0, 3)
          .map((node) => node.target.join(' '))
          .join(', ')}`,
    )
}
