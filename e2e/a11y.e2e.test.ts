/// <reference lib="dom" />
import { AxeBuilder } from '@axe-core/playwright'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { open, PHONE, useBrowserApp } from './support.ts'

const app = useBrowserApp()

const PAGES = [
  '/',
  '/search?theme=birth',
  '/progress',
  '/register',
  '/password-reset',
  '/verify',
  '/work',
  '/admin',
  '/no-such-page',
]

/** Serious and critical axe-core violations (WCAG 2.x A/AA rules), summarised for a readable failure. */
async function seriousViolations(page: Page): Promise<string[]> {
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

describe('accessibility (axe-core): no serious or critical violations', () => {
  it.each(PAGES)('%s', async (path) => {
    const page = await app.newPage()
    await open(page, app.url(path))
    expect(await seriousViolations(page)).toEqual([])
  })

  it('the portal in 长辈版', async () => {
    const page = await app.newPage()
    await open(page, app.url('/'))
    await page.getByTestId('elderly-switch').click()
    await page.waitForFunction(() => document.documentElement.classList.contains('elderly'))
    expect(await seriousViolations(page)).toEqual([])
  })

  it('the portal in English on a phone', async () => {
    const page = await app.newPage({ viewport: PHONE, isMobile: true, hasTouch: true })
    await open(page, app.url('/'))
    await page.getByTestId('language-switch').click()
    await page.getByRole('heading', { level: 1, name: 'One network, done in one go' }).waitFor()
    expect(await seriousViolations(page)).toEqual([])
  })
})
