/// <reference lib="dom" />
// 我的证照 on a phone in 长辈版: the list with each license's status, no QR code for an expired one, a QR
// code that is replaced before its short-lived token expires, and the verifier seeing only what the
// license type discloses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { shoot } from './journeys.ts'
import {
  bodyFontSize,
  horizontalOverflow,
  open,
  openLoggedIn,
  PHONE,
  seriousViolations,
  useBrowserApp,
} from './support.ts'

const app = useBrowserApp()

/** 王芳: holds a 居民身份证 and a 机动车驾驶证 that has expired (demo data). */
const HOLDER = { login: '13800000003' }

describe('the wallet on a phone, and 亮证', () => {
  beforeAll(() => app.keepContexts(true))
  afterAll(() => app.keepContexts(false))

  it('lists the licenses with their status, in 长辈版, without horizontal scrolling', async () => {
    const page = await app.newPage({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 })
    await openLoggedIn(page, app.url('/me/licenses'), HOLDER)
    await page.getByRole('heading', { level: 1, name: '我的证照' }).waitFor()
    await page.getByTestId('elderly-switch').click()
    await expect.poll(() => bodyFontSize(page)).toBeGreaterThanOrEqual(20)
    const driving = page.getByTestId('license-card').filter({ hasText: '机动车驾驶证' })
    await expect(driving.getByTestId('license-status').textContent()).resolves.toBe('已过期')
    await expect(
      page
        .getByTestId('license-card')
        .filter({ hasText: '居民身份证' })
        .getByTestId('license-status')
        .textContent(),
    ).resolves.toBe('有效')
    expect(await horizontalOverflow(page), 'wallet on a phone').toBeLessThanOrEqual(0)
    await shoot(page, 'wallet-phone-elderly')
    expect(await seriousViolations(page)).toEqual([])

    // in English too
    await page.getByTestId('language-switch').click()
    await page.getByRole('heading', { level: 1, name: 'My licenses' }).waitFor()
    await expect(driving.getByTestId('license-status').textContent()).resolves.toBe('Expired')
    await page.getByTestId('language-switch').click()
    await page.getByRole('heading', { level: 1, name: '我的证照' }).waitFor()

    // an expired license is not shown as valid: no QR code
    await driving.getByRole('link').click()
    await page.getByText('只有有效的证照可以亮证').waitFor()
    await expect(page.getByRole('button', { name: '出示二维码' }).count()).resolves.toBe(0)
  })

  it('replaces the QR code before its token expires, and the verifier sees only the disclosed fields', async () => {
    const page = await app.newPage({ viewport: PHONE, isMobile: true, hasTouch: true })
    await openLoggedIn(page, app.url('/me/licenses'), HOLDER)
    await page.clock.install()
    await page.getByTestId('license-card').filter({ hasText: '居民身份证' }).getByRole('link').click()
    await page.getByRole('heading', { level: 1, name: '居民身份证' }).waitFor()
    await page.getByRole('button', { name: '出示二维码' }).click()
    await page.getByRole('img', { name: '居民身份证 核验二维码' }).waitFor()
    const first = await page.getByTestId('qr-token').inputValue()
    expect(await horizontalOverflow(page), 'QR code on a phone').toBeLessThanOrEqual(0)

    // the token lives 5 minutes; the page replaces it 30 s before that, without the holder doing anything
    await page.clock.fastForward('04:40')
    await expect.poll(() => page.getByTestId('qr-token').inputValue(), { timeout: 15_000 }).not.toBe(first)
    const second = await page.getByTestId('qr-token').inputValue()

    const verifier = await app.newPage({ viewport: PHONE, isMobile: true })
    await verifier.goto(app.url(`/verify/license?${new URL(second).searchParams}`))
    await verifier.getByTestId('verdict').filter({ hasText: '证照真实有效' }).waitFor()
    await verifier.getByTestId('disclosed-name').waitFor()
    // the ID number is on the license but not disclosable
    await expect(verifier.getByTestId('disclosed-idNumber').count()).resolves.toBe(0)
    expect(await horizontalOverflow(verifier), 'verdict on a phone').toBeLessThanOrEqual(0)
    // the first code was replaced, not revoked: still genuine until it expires
    await open(verifier, app.url(`/verify/license?${new URL(first).searchParams}`))
    await verifier.getByTestId('verdict').filter({ hasText: '证照真实有效' }).waitFor()
  })
})
