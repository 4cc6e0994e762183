/// <reference lib="dom" />
// 补正 round trip in a real browser: the window clerk asks for a correction listing what to fix (一次性
// 告知), the applicant sees the request in 我的办件, uploads the corrected material and resubmits, and the
// clerk accepts the case.
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pdfFile, shoot, workCase } from './journeys.ts'
import { open, openLoggedIn, useBrowserApp } from './support.ts'

const app = useBrowserApp()

const ITEM = '企业设立登记'
const DEPARTMENT = '杭州市西湖区市场监督管理局'
/** 张伟, setting up a company in his own name. */
const APPLICANT = { login: '13800000001' }
const NOTE = '章程缺少全体股东签字页'

describe('a correction round trip (补正)', () => {
  let applicant: Page
  let clerk: Page
  let caseNo = ''

  beforeAll(() => app.keepContexts(true))
  afterAll(() => app.keepContexts(false))

  it('the applicant applies', async () => {
    applicant = await app.newPage()
    await openLoggedIn(applicant, app.url(`/search?q=${encodeURIComponent(ITEM)}`), APPLICANT)
    const hit = applicant.locator('.search-hit', { hasText: DEPARTMENT }).first()
    await hit.locator('.result-name').click()
    await applicant.getByRole('button', { name: /在线办理/ }).click()
    await applicant.getByRole('heading', { level: 1, name: `在线申请：${ITEM}` }).waitFor()
    for (const [key, value] of [
      ['proposedName', '杭州云栖数据服务有限公司'],
      ['registeredCapital', '200'],
      ['businessScope', '数据处理服务'],
      ['companyAddress', '浙江省杭州市西湖区转塘街道 1 号'],
    ] as const) {
      const input = applicant.locator(`#formData_${key}`)
      if (!(await input.inputValue())) await input.fill(value)
    }
    for (const [key, name] of [
      ['m1', '公司登记（备案）申请书'],
      ['m2', '公司章程'],
      ['m4', '住所使用证明'],
    ] as const) {
      await applicant.getByLabel(`上传文件：${name}`).setInputFiles(pdfFile(`${name}.pdf`))
      await applicant.getByTestId(`attached-${key}`).waitFor()
    }
    const useLicense = applicant.getByTestId('material-m3').getByRole('button', { name: /使用电子证照/ })
    await applicant.getByTestId('material-m3').locator('button').first().waitFor()
    if (await useLicense.count()) await useLicense.first().click()
    else await applicant.getByLabel('上传文件：居民身份证').setInputFiles(pdfFile('身份证复印件.pdf'))
    await applicant.getByTestId('attached-m3').waitFor()
    await applicant.getByText('本人承诺所填写的信息').click()
    await applicant.getByRole('button', { name: /提交申请/ }).click()
    await applicant.getByRole('heading', { level: 1, name: '申请已提交' }).waitFor()
    caseNo = (await applicant.getByTestId('case-no').textContent()) ?? ''
    expect(caseNo).not.toBe('')
  })

  it('the window clerk asks for a correction, listing the material to fix', async () => {
    clerk = await app.newPage()
    await openLoggedIn(clerk, app.url('/work'), { login: 'xh.sj.clerk', totp: () => app.totp('xh.sj.clerk') })
    const row = clerk.locator('.task-table tr', { hasText: caseNo }).first()
    await row.waitFor()
    await row.getByRole('button', { name: '签收' }).click()
    await clerk.getByRole('heading', { level: 1, name: `办件 ${caseNo}` }).waitFor()
    // the uploaded materials can be opened by the clerk
    await clerk
      .getByTestId('case-material-m2')
      .getByRole('button', { name: /下\s*载/ })
      .waitFor()

    await clerk.getByTestId('move-requestCorrection').click()
    await clerk.getByLabel('材料或字段').click()
    await clerk.locator('.ant-select-item-option', { hasText: '公司章程' }).click()
    await clerk.getByLabel('问题').click()
    await clerk.locator('.ant-select-item-option', { hasText: '需修改' }).click()
    await clerk.getByLabel('说明').fill(NOTE)
    await clerk.locator('.move-form button[type="submit"]').click()
    await clerk.locator('.apply-notice', { hasText: '已一次性告知补正' }).waitFor()
    await expect(clerk.getByTestId('case-status').first().textContent()).resolves.toBe('待补正')

    // accepting now is not possible: the refusal says why and what is possible, in words
    await clerk.getByTestId('move-accept').click()
    await clerk.locator('.move-form button[type="submit"]').click()
    const refusal = clerk.getByRole('alert').filter({ hasText: '当前可执行' })
    await refusal.waitFor()
    expect(await refusal.textContent()).not.toMatch(/resubmit|withdraw|correction_requested/)
  })

  it('the applicant sees the request in 我的办件 and resubmits the corrected material', async () => {
    await open(applicant, app.url('/me/cases'))
    const row = applicant.locator('.case-row', { hasText: caseNo })
    await row.getByText('待补正').waitFor()
    await row.getByRole('link').click()
    await applicant.getByRole('heading', { level: 2, name: '需要补正的内容（一次性告知）' }).waitFor()
    const request = applicant.locator('.correction-panel')
    await request.getByText('公司章程').first().waitFor()
    await request.getByText(NOTE).waitFor()
    await shoot(applicant, 'my-case-correction')

    await request.getByLabel('上传文件：公司章程').setInputFiles(pdfFile('公司章程（补正）.pdf'))
    await request.getByTestId('attached-m2').waitFor()
    await request.getByRole('button', { name: '提交补正' }).click()
    await applicant.getByText('补正材料已提交').waitFor()
    // back before the clerk (提交 or 预审), no longer waiting for the applicant
    await expect
      .poll(() => applicant.getByTestId('case-status').first().textContent())
      .toMatch(/^(已提交|预审中)$/)
    // the timeline keeps the request and the resubmission
    await applicant.getByText('一次性告知补正').first().waitFor()
    await applicant.getByText('补正后重新提交').first().waitFor()
  })

  it('the clerk finds the case again, sees the corrected material and accepts the case', async () => {
    // 办件查询 by case number
    await open(clerk, app.url('/work/cases'))
    await clerk.getByRole('heading', { level: 1, name: '办件查询' }).waitFor()
    await clerk.getByLabel('办件编号').fill(caseNo)
    await clerk.getByRole('button', { name: /查\s*询/ }).click()
    await clerk.locator('tr', { hasText: caseNo }).getByRole('link').waitFor()
    await expect.poll(() => clerk.locator('tbody tr.ant-table-row').count()).toBe(1)

    await workCase(app, clerk, caseNo, ['accept'])
    await expect(clerk.getByTestId('case-status').first().textContent()).resolves.toBe('已受理')
    await clerk.getByTestId('case-material-m2').filter({ hasText: '公司章程（补正）.pdf' }).first().waitFor()
  })
})
