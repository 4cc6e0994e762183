/// <reference lib="dom" />
// 电子监察 at the workbench: the 公安 clerk of 西湖区 sees the red card of the overdue 户口迁移 and the yellow
// card of the one due tomorrow (demo data), filters by level and department, and the average processing
// time per item; on a phone and in English without horizontal scrolling.
import { describe, expect, it } from 'vitest'
import { shoot } from './journeys.ts'
import { horizontalOverflow, openLoggedIn, PHONE, seriousViolations, useBrowserApp } from './support.ts'

const app = useBrowserApp()
const CLERK = { login: 'xh.ga.clerk', totp: () => app.totp('xh.ga.clerk') }

describe('电子监察', () => {
  it('lists the red and yellow cards with their counts, filtered by level', async () => {
    const page = await app.newPage()
    await openLoggedIn(page, app.url('/work'), CLERK)
    await page.getByText('电子监察', { exact: true }).first().click()
    await page.getByRole('heading', { level: 1, name: '电子监察' }).waitFor()
    const list = page.getByTestId('supervision-list')
    await list.getByText('户口迁移').first().waitFor()
    const counts = page.getByTestId('supervision-counts')
    expect(Number(await counts.locator('[data-level="red"] strong').textContent())).toBeGreaterThanOrEqual(1)
    expect(Number(await counts.locator('[data-level="yellow"] strong').textContent())).toBeGreaterThanOrEqual(
      1,
    )
    await list
      .getByText(/已超期 \d+ 个工作日/)
      .first()
      .waitFor()
    await expect(list.getByText(/剩余 -/).count()).resolves.toBe(0)
    await shoot(page, 'work-supervision')
    expect(await seriousViolations(page), 'supervision page').toEqual([])

    // only the red cards
    await page.locator('.ant-segmented').getByText('已超期', { exact: true }).click()
    await expect
      .poll(async () =>
        (
          await list
            .locator('[data-level]')
            .evaluateAll((tags) => tags.map((tag) => tag.getAttribute('data-level')))
        ).every((level) => level === 'red'),
      )
      .toBe(true)
    await page.getByTestId('supervision-items').waitFor()

    // a case number opens the case
    await list.getByRole('link').first().click()
    await page.waitForURL(/\/work\/cases\/[0-9a-f-]{36}/)
  })

  it('works on a phone in English', async () => {
    const page = await app.newPage({ viewport: PHONE, isMobile: true, hasTouch: true })
    await openLoggedIn(page, app.url('/work/supervision'), CLERK)
    await page.getByTestId('language-switch').click()
    await page.getByRole('heading', { level: 1, name: 'Supervision' }).waitFor()
    await page.getByTestId('supervision-list').waitFor()
    expect(await horizontalOverflow(page), 'supervision on a phone').toBeLessThanOrEqual(0)
    expect(await seriousViolations(page), 'supervision in English on a phone').toEqual([])
  })
})
