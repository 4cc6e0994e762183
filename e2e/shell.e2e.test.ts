/// <reference lib="dom" />
// page.evaluate() callbacks run in the browser.
import { gunzipSync, gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { bodyFontSize, horizontalOverflow, open, PHONE, useBrowserApp } from './support.ts'

const app = useBrowserApp()

describe('web shell in a real browser', () => {
  it('renders the portal in Chinese', async () => {
    const page = await app.newPage()
    await open(page, app.url('/'))
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN')
    expect(await page.title()).toBe('通办 · 一网通办')
    await expect(page.locator('h1').textContent()).resolves.toBe('一网通办，一次办好')
    const nav = page.getByRole('navigation', { name: '主导航' }).first()
    await expect(nav.getByRole('link', { name: '首页' }).isVisible()).resolves.toBe(true)
    for (const theme of ['生育', '入学', '就业', '婚姻', '退休', '开办企业', '工程建设']) {
      await expect(page.getByRole('link', { name: theme }).isVisible(), theme).resolves.toBe(true)
    }
    await expect(page.getByRole('searchbox', { name: '搜索政务服务' }).isVisible()).resolves.toBe(true)
  })

  it('lists the demo departments from the real API', async () => {
    const page = await app.newPage()
    await open(page, app.url('/'))
    await page.getByText('浙江省市场监督管理局').first().waitFor()
  })

  it('shows a localized error state when the API fails, never a stack trace', async () => {
    const page = await app.newPage()
    await page.route('**/api/v1/departments**', (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/problem+json',
        body: JSON.stringify({
          type: 'https://tongban.dev/problems/unavailable',
          title: '服务暂时不可用，请稍后再试',
          status: 503,
          code: 'unavailable',
          titles: { zh: '服务暂时不可用，请稍后再试', en: 'The service is temporarily unavailable' },
        }),
      }),
    )
    await open(page, app.url('/'))
    const alerts = page.getByRole('alert')
    await alerts.first().waitFor()
    const text = (await alerts.allTextContents()).join(' ')
    expect(text).toContain('加载失败')
    expect(text).toMatch(/[\u4e00-\u9fff]/)
    expect(text).not.toMatch(/Error:|at \w+ \(|Not found/)
  })

  it('switches to English and keeps it after a reload', async () => {
    const page = await app.newPage()
    await open(page, app.url('/'))
    await page.getByTestId('language-switch').click()
    await page.getByRole('heading', { level: 1, name: 'One network, done in one go' }).waitFor()
    expect(await page.getAttribute('html', 'lang')).toBe('en')
    await expect(page.getByRole('link', { name: 'Starting a business' }).isVisible()).resolves.toBe(true)
    await page.reload()
    await page.getByRole('heading', { level: 1, name: 'One network, done in one go' }).waitFor()
    await page.getByTestId('language-switch').click()
    await page.getByRole('heading', { level: 1, name: '一网通办，一次办好' }).waitFor()
  })

  it('长辈版 enlarges the base font and persists across navigation and reloads', async () => {
    const page = await app.newPage()
    await open(page, app.url('/'))
    expect(await bodyFontSize(page)).toBeLessThan(20)
    await page.getByTestId('elderly-switch').click()
    await expect.poll(() => bodyFontSize(page)).toBeGreaterThanOrEqual(20)
    expect(await page.evaluate(() => document.documentElement.classList.contains('elderly'))).toBe(true)
    // AntD components follow through the theme token.
    const buttonSize = await page
      .getByRole('button', { name: /搜\s*索/ })
      .evaluate((button) => Number.parseFloat(getComputedStyle(button).fontSize))
    expect(buttonSize).toBeGreaterThanOrEqual(20)

    await page
      .getByRole('navigation', { name: '主导航' })
      .first()
      .getByRole('link', { name: '证照核验' })
      .click()
    await page.getByRole('heading', { level: 1, name: '电子证照核验' }).waitFor()
    expect(await bodyFontSize(page)).toBeGreaterThanOrEqual(20)
    await expect(page.getByTestId('elderly-switch').getAttribute('aria-checked')).resolves.toBe('true')

    await page.goto(app.url('/progress'))
    await page.getByRole('heading', { level: 1, name: '办件进度查询' }).waitFor()
    expect(await bodyFontSize(page)).toBeGreaterThanOrEqual(20)

    await page.getByTestId('elderly-switch').click()
    await expect.poll(() => bodyFontSize(page)).toBeLessThan(20)
  })

  it('has the elderly switch and language switch on every area, including staff areas and 404', async () => {
    const page = await app.newPage()
    for (const path of [
      '/',
      '/search?q=身份证',
      '/progress',
      '/verify',
      '/work',
      '/admin',
      '/no-such-page',
    ]) {
      await open(page, app.url(path))
      await expect(page.getByTestId('elderly-switch').isVisible(), path).resolves.toBe(true)
      await expect(page.getByTestId('language-switch').isVisible(), path).resolves.toBe(true)
    }
  })

  it('fits a 375×667 phone without horizontal scrolling and collapses the navigation', async () => {
    const page = await app.newPage({ viewport: PHONE, isMobile: true, hasTouch: true })
    for (const path of ['/', '/progress', '/verify', '/work', '/no-such-page']) {
      await open(page, app.url(path))
      await page.waitForLoadState('networkidle')
      expect(await horizontalOverflow(page), path).toBeLessThanOrEqual(0)
    }
    await open(page, app.url('/'))
    await page.getByTestId('elderly-switch').click()
    await expect.poll(() => bodyFontSize(page)).toBeGreaterThanOrEqual(20)
    expect(await horizontalOverflow(page), '长辈版 on a phone').toBeLessThanOrEqual(0)

    const toggle = page.getByRole('button', { name: '菜单' })
    await expect(toggle.isVisible()).resolves.toBe(true)
    await toggle.click()
    const drawer = page.getByRole('dialog')
    await drawer.getByRole('link', { name: '办件进度查询' }).click()
    await page.getByRole('heading', { level: 1, name: '办件进度查询' }).waitFor()
  })

  it('renders the verifier form, validates it and refuses a forged code in Chinese', async () => {
    const page = await app.newPage()
    await open(page, app.url('/verify'))
    await expect(page.locator('h1').textContent()).resolves.toBe('电子证照核验')
    const code = page.getByLabel('二维码内容')
    await expect(code.isVisible()).resolves.toBe(true)
    await page.getByRole('button', { name: /^核\s*验$/ }).click()
    await page.getByText('请粘贴二维码内容', { exact: true }).waitFor()
    // headless chromium has no BarcodeDetector, yet scanning is offered: frames are decoded in JavaScript
    await page.getByRole('button', { name: '扫码核验' }).waitFor()
    await expect(page.getByText('当前浏览器不支持扫码').count()).resolves.toBe(0)
    await code.fill('https://tongban.example/verify/license?t=forged.token')
    await page.getByRole('button', { name: /^核\s*验$/ }).click()
    const verdict = page.getByTestId('verdict')
    await verdict.waitFor()
    expect(await verdict.textContent()).toBe('无法确认真实性：二维码无效或已被篡改')
    // nothing about a license is shown for a code that is not genuine
    await expect(page.locator('[data-testid^="disclosed-"]').count()).resolves.toBe(0)
  })

  it('renders the public progress query form and validates required fields', async () => {
    const page = await app.newPage()
    await open(page, app.url('/progress'))
    await expect(page.getByLabel('办件编号').isVisible()).resolves.toBe(true)
    await expect(page.getByLabel('查询码').isVisible()).resolves.toBe(true)
    await page.getByRole('button', { name: /查\s*询/ }).click()
    await page.getByText('请输入办件编号').waitFor()
    await page.getByText('请输入查询码').waitFor()
  })

  it('shows a 404 page and asks for login in the staff areas', async () => {
    const page = await app.newPage()
    await open(page, app.url('/no-such-page'))
    await page.getByText('页面不存在').first().waitFor()
    await open(page, app.url('/work'))
    await page.getByText('请先登录').first().waitFor()
    await open(page, app.url('/admin'))
    await page.getByText('请先登录').first().waitFor()
  })

  it('ships at most 300 KB of compressed JavaScript for the first page of /', async () => {
    const page = await app.newPage()
    const scripts: Promise<Buffer>[] = []
    page.on('response', (response) => {
      if (response.request().resourceType() === 'script') scripts.push(response.body())
    })
    await open(page, app.url('/'))
    await page.waitForLoadState('networkidle')
    const bodies = await Promise.all(scripts)
    const gzipped = bodies.reduce((sum, body) => sum + gzipSync(body, { level: 9 }).length, 0)
    expect(bodies.length).toBeGreaterThan(0)
    expect(gunzipSync(gzipSync(bodies[0] ?? Buffer.alloc(0))).length).toBe(bodies[0]?.length)
    console.log(`first page of /: ${bodies.length} scripts, ${(gzipped / 1024).toFixed(1)} KB gzip`)
    expect(gzipped).toBeLessThanOrEqual(300 * 1024)
  })
})
