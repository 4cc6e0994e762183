/// <reference lib="dom" />
// page.evaluate() callbacks run in the browser.
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
}

/** Starts the app and chromium once per test file; each test gets fresh contexts, closed after it. */
export function useBrowserApp(): BrowserApp {
  let app: RunningApp | undefined
  let browser: Browser | undefined
  const contexts: BrowserContext[] = []

  beforeAll(async () => {
    app = await startApp()
    browser = await launchBrowser()
  })
  afterEach(async () => {
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
