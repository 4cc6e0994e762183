/// <reference lib="dom" />
// The whole journey of one application in a real browser, through the real server and its OpenID
// Provider: search → guide → login → apply (prefill, uploads) → window acceptance → review → approval
// and completion → the license in the wallet → its QR code checked by the verifier.
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pdfFile, shoot, workCase } from './journeys.ts'
import { loginOnProvider, open, openLoggedIn, seriousViolations, useBrowserApp } from './support.ts'

const app = useBrowserApp()

const ITEM = '企业设立登记'
const DEPARTMENT = '杭州市西湖区市场监督管理局'
/** The company 李娜 sets up: it exists once registered, and its 营业执照 is held in her wallet. */
const COMPANY = '杭州云栖智能装备有限公司'
/** 李娜, who applies in her own name as the future company's legal representative. */
const APPLICANT = { login: '13800000002' }

/** Links to the 营业执照 cards in the wallet page. */
async function businessLicences(page: Page): Promise<string[]> {
  const links = page.getByTestId('license-card').filter({ hasText: '营业执照' }).getByRole('link')
  return (await links.evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href') ?? ''))).filter(
    Boolean,
  )
}

describe('the journey of one application, from search to a verified license', () => {
  let citizen: Page
  let approver: Page
  let licenceId = ''
  let caseNo = ''
  let queryCode = ''
  /** The company's business licences before this application (the demo company holds some already). */
  let licencesBefore: string[] = []
  let qrUrl = ''

  beforeAll(() => app.keepContexts(true))
  afterAll(() => app.keepContexts(false))

  it('a company agent searches, reads the guide and logs in to apply', async () => {
    citizen = await app.newPage()
    await open(citizen, app.url('/'))
    await citizen.getByRole('searchbox', { name: '搜索政务服务' }).fill(ITEM)
    await citizen.getByRole('searchbox', { name: '搜索政务服务' }).press('Enter')
    await citizen.getByRole('heading', { level: 1, name: `“${ITEM}”的搜索结果` }).waitFor()
    const hit = citizen.locator('.search-hit', { hasText: DEPARTMENT }).first()
    await hit.waitFor()
    await hit.locator('.result-name').click()
    await citizen.getByRole('heading', { level: 2, name: '申请材料' }).waitFor()
    await expect(citizen.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(ITEM)
    // the guide promises the license that completion will issue
    await citizen.getByText('营业执照', { exact: true }).first().waitFor()

    await citizen.getByRole('button', { name: /在线办理/ }).click()
    await citizen.getByRole('heading', { level: 1, name: '请先登录' }).waitFor()
    await citizen
      .getByRole('button', { name: /^登\s*录$/ })
      .last()
      .click()
    await loginOnProvider(citizen, APPLICANT)
    await citizen.getByRole('heading', { level: 1, name: `在线申请：${ITEM}` }).waitFor()
    const applyUrl = citizen.url()

    // what the wallet holds before: the business licences so far
    await open(citizen, app.url('/me/licenses'))
    await citizen.getByTestId('license-card').first().waitFor()
    licencesBefore = await businessLicences(citizen)
    await open(citizen, applyUrl)
    await citizen.getByRole('heading', { level: 1, name: `在线申请：${ITEM}` }).waitFor()
  })

  it('applies with prefilled applicant fields and uploads shown with progress bars', async () => {
    const page = citizen
    // prefilled from the login: the applicant's own data, marked as such and answered in full
    for (const [key, value] of [
      ['applicantName', '李娜'],
      ['applicantPhone', '13800000002'],
    ] as const) {
      await expect(page.getByTestId(`prefilled-${key}`).isVisible(), key).resolves.toBe(true)
      await expect(page.locator(`#formData_${key}`).inputValue(), key).resolves.toBe(value)
    }
    await expect(page.locator('#formData_applicantIdNumber').inputValue()).resolves.toMatch(/^\d{17}[\dX]$/)
    await page.locator('#formData_proposedName').fill(COMPANY)
    await page.locator('#formData_registeredCapital').fill('500')
    await page.locator('#formData_businessScope').fill('智能装备研发、生产、销售；技术服务')
    await page.locator('#formData_companyAddress').fill('浙江省杭州市西湖区云栖小镇 8 号')

    // a slow connection, so that the progress bar of the first upload is seen moving
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 20,
      downloadThroughput: -1,
      uploadThroughput: 96 * 1024,
    })
    const seen = new Set<number>()
    const watch = setInterval(() => {
      void page
        .locator(
          '[data-testid="upload-progress-m1"][aria-valuenow], [data-testid="upload-progress-m1"] [aria-valuenow]',
        )
        .first()
        .getAttribute('aria-valuenow', { timeout: 100 })
        .then((value) => value !== null && seen.add(Number(value)))
        .catch(() => undefined)
    }, 50)
    await page.getByLabel('上传文件：公司登记（备案）申请书').setInputFiles(pdfFile('申请书.pdf', 400))
    await page.getByTestId('upload-progress-m1').waitFor()
    await page.getByTestId('attached-m1').waitFor({ timeout: 30_000 })
    clearInterval(watch)
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    })
    expect(
      [...seen].some((percent) => percent > 0 && percent < 100),
      `progress seen: ${[...seen]}`,
    ).toBe(true)

    await page.getByLabel('上传文件：公司章程').setInputFiles(pdfFile('公司章程.pdf'))
    await page.getByTestId('attached-m2').waitFor()
    await page.getByLabel('上传文件：住所使用证明').setInputFiles(pdfFile('住所使用证明.pdf'))
    await page.getByTestId('attached-m4').waitFor()
    // 居民身份证 comes from the applicant's e-license: authorized for this application (用证授权), or a copy
    const useLicense = page.getByTestId('material-m3').getByRole('button', { name: /使用电子证照/ })
    await page.getByTestId('material-m3').locator('button').first().waitFor()
    if (await useLicense.count()) await useLicense.first().click()
    else await page.getByLabel('上传文件：居民身份证').setInputFiles(pdfFile('身份证复印件.pdf'))
    await page.getByTestId('attached-m3').waitFor()

    await page.getByText('本人承诺所填写的信息').click()
    await shoot(page, 'apply')
    expect(await seriousViolations(page), 'apply form').toEqual([])
    await page.getByRole('button', { name: /提交申请/ }).click()
    await page.getByRole('heading', { level: 1, name: '申请已提交' }).waitFor()
    caseNo = (await page.getByTestId('case-no').textContent()) ?? ''
    expect(caseNo).toMatch(/^330106-\d{8}-\d{6}-[0-9X]$/)
    queryCode = (await page.getByTestId('query-code').textContent()) ?? ''
    expect(queryCode).toMatch(/\S{4,}/)
  })

  it('the window clerk accepts it, the reviewer reviews it, the approver approves and completes it', async () => {
    // the security admin gives the department its signing keys (三员分立: only they may)
    const security = await app.newPage()
    await openLoggedIn(security, app.url('/admin/keys'), {
      login: 'secadmin',
      totp: () => app.totp('secadmin'),
    })
    await security.getByRole('heading', { level: 1, name: '证照签名密钥' }).waitFor()
    await security.getByLabel('部门').click()
    await security.keyboard.type(DEPARTMENT)
    await security.locator('.ant-select-item-option', { hasText: DEPARTMENT }).first().click()
    await security.getByRole('button', { name: '生成或轮换签名密钥' }).click()
    await security.getByText(`已为 ${DEPARTMENT} 生成新的签名密钥`).waitFor()
    await shoot(security, 'admin-keys')
    expect(await seriousViolations(security), 'admin keys').toEqual([])

    const clerk = await app.newPage()
    await openLoggedIn(clerk, app.url('/work'), { login: 'xh.sj.clerk', totp: () => app.totp('xh.sj.clerk') })
    await workCase(app, clerk, caseNo, ['accept'], {}, ['none'])
    expect(await seriousViolations(clerk), 'work case').toEqual([])

    const reviewer = await app.newPage()
    await openLoggedIn(reviewer, app.url('/work'), {
      login: 'xh.sj.reviewer',
      totp: () => app.totp('xh.sj.reviewer'),
    })
    // accepted: the clock runs; the item promises one working day, so today is its last (yellow)
    await workCase(app, reviewer, caseNo, ['review'], { queue: 'work-queue' }, ['green', 'yellow'])

    approver = await app.newPage()
    await openLoggedIn(approver, app.url('/work'), {
      login: 'xh.sj.approver',
      totp: () => app.totp('xh.sj.approver'),
    })
    await workCase(app, approver, caseNo, ['approve', 'complete'], { case: 'work-case' })
    await expect(approver.getByTestId('case-status').first().textContent()).resolves.toBe('已办结')
  })

  it('the citizen sees the case completed and the business licence in the wallet', async () => {
    const page = citizen
    await open(page, app.url('/me/cases'))
    await page.locator('.case-row', { hasText: caseNo }).getByRole('link').click()
    await page.getByTestId('case-no').filter({ hasText: caseNo }).waitFor()
    await expect(page.getByTestId('case-status').textContent()).resolves.toBe('已办结')
    await shoot(page, 'my-case')

    // anyone with the case number and the query code follows it, without logging in (POST form)
    const anonymous = await app.newPage()
    await open(anonymous, app.url('/progress'))
    await anonymous.getByLabel('办件编号').fill(caseNo)
    await anonymous.getByLabel('查询码').fill(queryCode)
    await anonymous.getByRole('button', { name: /查\s*询/ }).click()
    await anonymous
      .locator('.progress-result')
      .getByTestId('case-status')
      .filter({ hasText: '已办结' })
      .waitFor()
    expect(new URL(anonymous.url()).search).not.toContain(queryCode)

    // issuance on completion runs in the background: look until the new licence is there (the new company's,
    // carrying this case's address)
    let issued: string | undefined
    await expect
      .poll(
        async () => {
          await open(page, app.url('/me/licenses'))
          await page.getByTestId('license-card').first().waitFor()
          const fresh = (await businessLicences(page)).filter((href) => !licencesBefore.includes(href))
          for (const href of fresh) {
            await open(page, app.url(href))
            await page.getByRole('heading', { level: 1, name: '营业执照' }).waitFor()
            await page.getByText(COMPANY, { exact: true }).first().waitFor()
            if ((await page.getByText('浙江省杭州市西湖区云栖小镇 8 号').count()) > 0) issued = href
          }
          if (issued) await open(page, app.url('/me/licenses'))
          return issued
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toBeTruthy()
    await shoot(page, 'wallet')
    expect(await seriousViolations(page), 'wallet').toEqual([])
    licenceId = issued?.split('/').pop() ?? ''
    await page.locator(`a[href="${issued}"]`).click()
    await page.getByRole('heading', { level: 1, name: '营业执照' }).waitFor()
    await page.getByText(COMPANY, { exact: true }).first().waitFor()
    await page.getByText('浙江省杭州市西湖区云栖小镇 8 号').waitFor()
    // the PDF rendering of the licence, downloaded with the holder's token
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /下载 PDF/ }).click(),
    ])
    expect(download.suggestedFilename()).toMatch(/^营业执照-.+\.pdf$/)
    const stream = await download.createReadStream()
    const head = await new Promise<string>((resolve) =>
      stream.once('data', (chunk) => resolve(String(chunk).slice(0, 5))),
    )
    expect(head).toBe('%PDF-')

    await page.getByRole('button', { name: '出示二维码' }).click()
    await page.getByRole('img', { name: '营业执照 核验二维码' }).waitFor()
    qrUrl = await page.getByTestId('qr-token').inputValue()
    expect(qrUrl).toContain('/verify/license?t=')
    await shoot(page, 'wallet-qr')
    expect(await seriousViolations(page), 'wallet licence with QR').toEqual([])
  })

  it('the verifier sees the QR code genuine and valid with only the disclosed fields, then suspended with none', async () => {
    const verifier = await app.newPage()
    const link = new URL(qrUrl)
    await verifier.goto(app.url(`${link.pathname}${link.search}`))
    await verifier.getByTestId('verdict').filter({ hasText: '证照真实有效' }).waitFor()
    await expect(verifier.getByTestId('verdict-status').textContent()).resolves.toBe('有效')
    await expect(verifier.getByTestId('disclosed-companyName').textContent()).resolves.toBe(COMPANY)
    // the credit code the market regulator assigned at registration: 9 (市场监管), 1 (企业), 西湖区
    await expect(verifier.getByTestId('disclosed-uscc').textContent()).resolves.toMatch(
      /^91330106[0-9A-Z]{10}$/,
    )
    // 注册资本 is not among the type's disclosable fields
    await expect(verifier.getByTestId('disclosed-registeredCapital').count()).resolves.toBe(0)
    // the single-use token left the address bar
    expect(new URL(verifier.url()).search).toBe('')
    await shoot(verifier, 'verify-genuine')
    expect(await seriousViolations(verifier), 'verdict').toEqual([])

    // the same code a second time is a replay
    await verifier.getByLabel('二维码内容').fill(qrUrl)
    // the form's submit button, not by its accessible name: AntD's leaving loading icon (aria-label
    // "loading") can stay in the button of a background page, whose CSS transitions never end
    await verifier.locator('form button[type="submit"]', { hasText: /核\s*验/ }).click()
    await verifier.getByTestId('verdict').filter({ hasText: '已核验过' }).waitFor()

    // the issuer suspends the licence (licenses API, as the approver); a fresh code then shows it
    // genuine but suspended, with none of its fields
    await citizen.getByRole('button', { name: '刷新二维码' }).click()
    await expect.poll(() => citizen.getByTestId('qr-token').inputValue()).not.toBe(qrUrl)
    const fresh = new URL(await citizen.getByTestId('qr-token').inputValue())
    const status = await approver.evaluate(async (id) => {
      const session = JSON.parse(sessionStorage.getItem('tongban.session') ?? '{}') as {
        accessToken?: string
      }
      const response = await fetch(`/api/v1/licenses/${id}/status`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${session.accessToken}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ action: 'suspend', reason: '核查经营场所期间暂停使用' }),
      })
      return response.status
    }, licenceId)
    expect(status).toBe(200)
    await open(verifier, app.url(`${fresh.pathname}${fresh.search}`))
    await verifier.getByTestId('verdict').filter({ hasText: '证照真实，但已暂停' }).waitFor()
    await expect(verifier.getByTestId('verdict-status').textContent()).resolves.toBe('已暂停')
    await expect(verifier.locator('[data-testid^="disclosed-"]').count()).resolves.toBe(0)
    await verifier.getByText('证照当前无效，照面信息不予展示。').waitFor()
    await shoot(verifier, 'verify-suspended')
  })
})
