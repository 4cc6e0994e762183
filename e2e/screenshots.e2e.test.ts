/// <reference lib="dom" />
import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import { describe, it } from 'vitest'
import { open, PHONE, useBrowserApp } from './support.ts'

const app = useBrowserApp()
const SCREENSHOTS = fileURLToPath(new URL('../docs/screenshots/', import.meta.url))

async function shoot(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('networkidle')
  // Let AntD's motion settle so the picture is the resting state.
  await page.waitForTimeout(400)
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true })
}

describe('screenshots of the main pages (docs/screenshots/)', () => {
  mkdirSync(SCREENSHOTS, { recursive: true })

  it('portal home', async () => {
    const page = await app.newPage()
    await open(page, app.url('/'))
    await shoot(page, 'portal-home')
  })

  it('portal home in 长辈版', async () => {
    const page = await app.newPage()
    await open(page, app.url('/'))
    await page.getByTestId('elderly-switch').click()
    await page.waitForFunction(() => document.documentElement.classList.contains('elderly'))
    await shoot(page, 'portal-home-elderly')
  })

  it('portal home on a phone', async () => {
    const page = await app.newPage({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 })
    await open(page, app.url('/'))
    await shoot(page, 'portal-home-phone')
  })

  it('portal home in English', async () => {
    const page = await app.newPage()
    await open(page, app.url('/'))
    await page.getByTestId('language-switch').click()
    await page.getByRole('heading', { level: 1, name: 'One network, done in one go' }).waitFor()
    await shoot(page, 'portal-home-en')
  })

  it('license verifier', async () => {
    const page = await app.newPage()
    await open(page, app.url('/verify'))
    await shoot(page, 'verify')
  })

  it('progress query', async () => {
    const page = await app.newPage()
    await open(page, app.url('/progress'))
    await shoot(page, 'progress')
  })

  it('staff workbench asking for login', async () => {
    const page = await app.newPage()
    await open(page, app.url('/work'))
    await shoot(page, 'work-login-required')
  })
})
