/// <reference lib="dom" />
// 一窗受理 in a real browser: a window clerk files an application for a person at the counter (a new
// applicant, not in the demo data) — the service, the applicant checked against their ID card (a mistyped
// number is caught before anything is sent), the item's form prefilled from the applicant, scanned
// materials, the signed declaration — and prints the 受理回执. The case number and query code on it then
// find the case in the public progress query, and the case waits in the department's queue. Then, with the
// same clerk (a staff login takes a fresh TOTP code): a refusal by the server shown at its field, a company
// filed by its agent, and on a phone in 长辈版 an answer lost on the way back retried with the same key.
import { buildIdNumber, buildUscc, maskIdNumber } from '@tongban/standards/pure'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pdfFile, shoot } from './journeys.ts'
import {
  horizontalOverflow,
  type Login,
  open,
  openLoggedIn,
  PHONE,
  seriousViolations,
  useBrowserApp,
} from './support.ts'

const app = useBrowserApp()

const ITEM = '个体工商户登记'
const DEPARTMENT = '杭州市西湖区市场监督管理局'
const CLERK: Login = { login: 'xh.sj.clerk', totp: () => app.totp('xh.sj.clerk') }
const REVIEWER: Login = { login: 'xh.sj.reviewer', totp: () => app.totp('xh.sj.reviewer') }

/** A person at the counter: born after every demo citizen (1950–2005), so not in the demo data. */
interface WalkInPerson {
  name: string
  idNumber: string
  phone: string
  shop: string
}

const FIRST: WalkInPerson = {
  name: '林晓雯',
  idNumber: buildIdNumber({ regionCode: '330106', birthDate: '2006-03-18', sex: 'female', sequence: 402 }),
  phone: '13912340402',
  shop: '晓雯茶饮店',
}
const SECOND: WalkInPerson = {
  name: '周子航',
  idNumber: buildIdNumber({ regionCode: '330106', birthDate: '2006-09-27', sex: 'male', sequence: 517 }),
  phone: '13912340517',
  shop: '子航修车铺',
}

/** A company new to the platform, and the agent (经办人) who brings its papers. */
const NEW_COMPANY = {
  name: '杭州西溪晓雯茶饮有限公司',
  uscc: buildUscc({
    registrationAuthority: '9',
    entityType: '1',
    regionCode: '330106',
    organizationCode: 'MA2K7Q3H',
  }),
  agent: {
    name: '沈嘉禾',
    idNumber: buildIdNumber({ regionCode: '330106', birthDate: '2006-01-09', sex: 'male', sequence: 233 }),
    phone: '13912340233',
  },
}

/** 张伟 of the demo data (docs/demo-accounts.md): he has an account already. */
const ZHANG_WEI: WalkInPerson = {
  name: '张伟',
  idNumber: '33010619850312933X',
  phone: '13800000001',
  shop: '张记小吃',
}

/** The same number with a wrong check character: a typo the clerk makes reading the card. */
function mistyped(idNumber: string): string {
  const wrong = idNumber.endsWith('1') ? '2' : '1'
  return `${idNumber.slice(0, 17)}${wrong}`
}

/** A small but real PNG (1×1 pixel): the server checks a file's type by its bytes. */
function pngFile(name: string): { name: string; mimeType: string; buffer: Buffer } {
  const pixel =
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=='
  return { name, mimeType: 'image/png', buffer: Buffer.from(pixel, 'base64') }
}

/** Step 1: finds the item among the clerk's department's services and chooses it. */
async function chooseService(page: Page, item = ITEM): Promise<void> {
  await page.getByLabel('搜索本窗口可受理的事项').fill(item)
  await page.getByLabel('搜索本窗口可受理的事项').press('Enter')
  const hit = page.getByTestId('walk-in-service').filter({ hasText: item }).first()
  await hit.waitFor()
  await expect(hit.textContent()).resolves.toContain(DEPARTMENT)
  await hit.getByRole('button', { name: `选择事项：${item}` }).click()
  await page.getByRole('heading', { level: 2, name: '申请人信息' }).waitFor()
}

/** Step 2 with a correct ID number, then step 3: the form, the scanned materials, the declaration. */
async function fillApplication(page: Page, person: WalkInPerson): Promise<void> {
  await page.locator('#applicant_name').fill(person.name)
  await page.locator('#applicant_idNumber').fill(person.idNumber)
  await page.locator('#applicant_phone').fill(person.phone)
  await page.getByRole('button', { name: /下一步/ }).click()
  await page.getByRole('heading', { level: 2, name: '收取材料' }).waitFor()

  // prefilled from the person at the counter (never from the clerk's own profile), marked as such
  for (const [key, value] of [
    ['applicantName', person.name],
    ['applicantIdNumber', person.idNumber],
    ['applicantPhone', person.phone],
  ] as const) {
    await expect(page.locator(`#formData_${key}`).inputValue(), key).resolves.toBe(value)
    await expect(page.getByTestId(`prefilled-${key}`).isVisible(), key).resolves.toBe(true)
  }
  for (const [key, value] of [
    ['shopName', person.shop],
    ['businessScope', '饮品零售；预包装食品销售'],
    ['shopAddress', '浙江省杭州市西湖区文三路 90 号'],
  ] as const) {
    const input = page.locator(`#formData_${key}`)
    if (await input.count()) await input.fill(value)
  }

  await page.getByLabel('上传文件：个体工商户登记申请书').setInputFiles(pdfFile('个体工商户登记申请书.pdf'))
  await page.getByTestId('attached-m1').waitFor()
  // the ID card is scanned at the counter: the applicant's e-license wallet is not the clerk's to use
  await page.getByLabel('上传文件：居民身份证').setInputFiles(pngFile('身份证扫描件.png'))
  await page.getByTestId('attached-m2').waitFor()
  await page.getByLabel('上传文件：经营场所使用证明').setInputFiles(pdfFile('经营场所使用证明.pdf'))
  await page.getByTestId('attached-m3').waitFor()

  await page.getByText('申请人已在承诺书上签字').click()
  // 当场受理 is on unless the clerk switches it off
  await expect(page.getByTestId('walk-in-accept').getAttribute('aria-checked')).resolves.toBe('true')
}

/** Submits and reads the receipt's case number and query code. */
async function submitForReceipt(page: Page): Promise<{ caseNo: string; queryCode: string }> {
  await page.getByRole('button', { name: /提交并出具回执/ }).click()
  await page.getByRole('heading', { level: 1, name: '受理回执' }).waitFor()
  const caseNo = (await page.getByTestId('case-no').textContent()) ?? ''
  const queryCode = (await page.getByTestId('query-code').textContent()) ?? ''
  expect(caseNo).toMatch(/^330106-\d{8}-\d{6}-[0-9X]$/)
  expect(queryCode).toMatch(/\S{4,}/)
  return { caseNo, queryCode }
}

describe('一窗受理: a window clerk files an application for a walk-in applicant', () => {
  let clerk: Page
  let caseNo = ''
  let queryCode = ''

  beforeAll(() => app.keepContexts(true))
  afterAll(() => app.keepContexts(false))

  it('the clerk opens 窗口受理, catches a mistyped ID number, files the application and gets the receipt', async () => {
    clerk = await app.newPage()
    await openLoggedIn(clerk, app.url('/work'), CLERK)
    await clerk.getByRole('menuitem', { name: '窗口受理' }).click()
    await clerk.getByRole('heading', { level: 1, name: '窗口受理' }).waitFor()
    expect(new URL(clerk.url()).pathname).toBe('/work/walk-in')
    await clerk.getByTestId('walk-in-service').first().waitFor()
    expect(await seriousViolations(clerk), 'walk-in: services').toEqual([])

    await chooseService(clerk)
    // a mistyped number is refused in the browser, in Chinese, before anything is sent
    const sent: string[] = []
    clerk.on('request', (request) => {
      if (request.url().includes('/api/v1/walk-ins')) sent.push(request.method())
    })
    await clerk.locator('#applicant_name').fill(FIRST.name)
    await clerk.locator('#applicant_idNumber').fill(mistyped(FIRST.idNumber))
    await clerk.getByRole('button', { name: /下一步/ }).click()
    await clerk.locator('.ant-form-item-explain-error').filter({ hasText: '校验码错误' }).waitFor()
    await expect(clerk.getByRole('heading', { level: 2, name: '申请人信息' }).isVisible()).resolves.toBe(true)
    expect(await seriousViolations(clerk), 'walk-in: applicant with an error').toEqual([])

    await fillApplication(clerk, FIRST)
    expect(await seriousViolations(clerk), 'walk-in: form and materials').toEqual([])
    ;({ caseNo, queryCode } = await submitForReceipt(clerk))
    expect(sent).toEqual(['POST'])

    // the receipt: item, department, the applicant masked, acceptance, deadlines, materials, clerk
    const receipt = clerk.getByTestId('walk-in-receipt')
    await receipt.getByText(ITEM).first().waitFor()
    await receipt.getByText(DEPARTMENT).first().waitFor()
    await expect(receipt.getByTestId('case-status').textContent()).resolves.toBe('已受理')
    const applicant = (await receipt.getByTestId('receipt-applicant').textContent()) ?? ''
    expect(applicant).toContain(FIRST.name)
    expect(applicant).toContain(maskIdNumber(FIRST.idNumber))
    expect(await receipt.textContent()).not.toContain(FIRST.idNumber)
    for (const material of ['个体工商户登记申请书', '居民身份证', '经营场所使用证明'])
      await receipt.getByText(material).first().waitFor()
    await clerk.getByText('查询码只显示这一次').waitFor()
    await shoot(clerk, 'work-walk-in')
    expect(await seriousViolations(clerk), 'walk-in: receipt').toEqual([])

    // printing shows the receipt alone
    await clerk.emulateMedia({ media: 'print' })
    await expect(clerk.getByRole('button', { name: /打印回执/ }).isVisible()).resolves.toBe(false)
    await expect(clerk.locator('.staff-sider').first().isVisible()).resolves.toBe(false)
    await expect(receipt.isVisible()).resolves.toBe(true)
    await clerk.emulateMedia({ media: 'screen' })
  })

  it('anyone finds the case with the number and code of the receipt: 已受理', async () => {
    const anonymous = await app.newPage()
    await open(anonymous, app.url('/progress'))
    await anonymous.getByLabel('办件编号').fill(caseNo)
    await anonymous.getByLabel('查询码').fill(queryCode)
    await anonymous.getByRole('button', { name: /查\s*询/ }).click()
    const result = anonymous.locator('.progress-result')
    await result.getByTestId('case-status').filter({ hasText: '已受理' }).waitFor()
    await result.getByText(ITEM).first().waitFor()
  })

  it('the case is in the department: in 办件查询 and in the reviewer’s queue', async () => {
    await open(clerk, app.url('/work/cases'))
    await clerk.getByLabel('办件编号').fill(caseNo)
    await clerk.getByRole('button', { name: /查\s*询/ }).click()
    const row = clerk.locator('tr', { hasText: caseNo })
    await row.getByText('已受理').waitFor()

    const reviewer = await app.newPage()
    await openLoggedIn(reviewer, app.url('/work'), REVIEWER)
    await reviewer.locator('.task-table tr', { hasText: caseNo }).first().waitFor()
    // 窗口受理 is for window clerks: not in a reviewer's menu, and refused at its address
    await expect(reviewer.getByRole('menuitem', { name: '窗口受理' }).count()).resolves.toBe(0)
    await open(reviewer, app.url('/work/walk-in'))
    await reviewer.getByRole('heading', { level: 1, name: '无窗口受理权限' }).waitFor()
  })

  it('a refusal by the server is shown at its field in Chinese, and the corrected application goes through', async () => {
    await open(clerk, app.url('/work/walk-in'))
    await chooseService(clerk)
    // 张伟's ID card (a demo account), with another name typed in: only the server can tell
    await fillApplication(clerk, { ...ZHANG_WEI, name: '张三' })
    await clerk.getByRole('button', { name: /提交并出具回执/ }).click()
    await clerk
      .locator('.ant-form-item', { has: clerk.locator('#applicant_name') })
      .locator('.ant-form-item-explain-error')
      .filter({ hasText: '姓名与该身份证号码的账户不符' })
      .waitFor()
    await expect(clerk.getByRole('heading', { level: 2, name: '申请人信息' }).isVisible()).resolves.toBe(true)
    await clerk.getByRole('alert').filter({ hasText: '请按提示修改后重新提交' }).waitFor()

    await clerk.locator('#applicant_name').fill(ZHANG_WEI.name)
    await clerk.getByRole('button', { name: /下一步/ }).click()
    // the form's prefilled name follows the corrected applicant
    await expect(clerk.locator('#formData_applicantName').inputValue()).resolves.toBe(ZHANG_WEI.name)
    await submitForReceipt(clerk)
    const applicant = (await clerk.getByTestId('receipt-applicant').textContent()) ?? ''
    expect(applicant).toContain(ZHANG_WEI.name)
    expect(applicant).toContain(maskIdNumber(ZHANG_WEI.idNumber))
    // an existing account: none is opened
    await expect(clerk.getByText('已为申请人开通实名账户').count()).resolves.toBe(0)
  })

  it('a company new to the platform, by its agent: credit code checked in the browser, company and agent prefilled and on the receipt', async () => {
    // the same logged-in clerk: a staff login takes a fresh TOTP code, and a code is accepted once
    const page = clerk
    await open(page, app.url('/work/walk-in'))
    await chooseService(page, '食品经营许可')
    // a company-only item: the applicant is a company
    await expect(page.getByRole('radio', { name: '个人' }).isDisabled()).resolves.toBe(true)
    await expect(page.getByRole('radio', { name: '法人' }).isChecked()).resolves.toBe(true)
    const badUscc = `${NEW_COMPANY.uscc.slice(0, 17)}${NEW_COMPANY.uscc.endsWith('0') ? '1' : '0'}`
    await page.locator('#applicant_uscc').fill(badUscc)
    await page.getByRole('button', { name: /下一步/ }).click()
    await page.locator('.ant-form-item-explain-error').filter({ hasText: '校验' }).first().waitFor()
    await page.locator('#applicant_uscc').fill(NEW_COMPANY.uscc.toLowerCase())
    await page.locator('#applicant_name').fill(NEW_COMPANY.name)
    await page.locator('#applicant_agent_name').fill(NEW_COMPANY.agent.name)
    await page.locator('#applicant_agent_idNumber').fill(NEW_COMPANY.agent.idNumber)
    await page.locator('#applicant_agent_phone').fill(NEW_COMPANY.agent.phone)
    await page.getByRole('button', { name: /下一步/ }).click()
    await page.getByRole('heading', { level: 2, name: '收取材料' }).waitFor()

    for (const [key, value] of [
      ['companyName', NEW_COMPANY.name],
      ['uscc', NEW_COMPANY.uscc],
      ['contactPhone', NEW_COMPANY.agent.phone],
    ] as const) {
      await expect(page.locator(`#formData_${key}`).inputValue(), key).resolves.toBe(value)
      await expect(page.getByTestId(`prefilled-${key}`).isVisible(), key).resolves.toBe(true)
    }
    for (const [key, value] of [
      ['legalRepresentative', '沈国平'],
      ['premises', '浙江省杭州市西湖区天目山路 8 号'],
      ['area', '36'],
    ] as const)
      await page.locator(`#formData_${key}`).fill(value)
    await page.getByLabel('经营项目').click()
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '热食类食品制售' })
      .click()
    for (const [key, name] of [
      ['m1', '食品经营许可申请书'],
      ['m3', '经营场所平面布局图'],
      ['m4', '食品安全管理制度'],
    ] as const) {
      await page.getByLabel(`上传文件：${name}`).setInputFiles(pdfFile(`${name}.pdf`))
      await page.getByTestId(`attached-${key}`).waitFor()
    }
    // the company is new to the platform: its paper 营业执照 is scanned at the counter
    await page.getByLabel('上传文件：营业执照').setInputFiles(pngFile('营业执照扫描件.png'))
    await page.getByTestId('attached-m2').waitFor()
    await page.getByText('申请人已在承诺书上签字').click()
    expect(await seriousViolations(page), 'walk-in: company form').toEqual([])

    await submitForReceipt(page)
    const receipt = page.getByTestId('walk-in-receipt')
    await receipt.getByText('申请单位').waitFor()
    await expect(page.getByTestId('receipt-applicant').textContent()).resolves.toContain(NEW_COMPANY.name)
    await receipt
      .getByText(`${NEW_COMPANY.agent.name}（${maskIdNumber(NEW_COMPANY.agent.idNumber)}）`)
      .waitFor()
    expect(await receipt.textContent()).not.toContain(NEW_COMPANY.agent.idNumber)
    await receipt.getByText('已为经办人开通实名账户').waitFor()
  })

  it('on a phone in 长辈版: a lost answer retried with the same key, the receipt within the screen, next applicant afresh', async () => {
    const page = clerk
    await page.setViewportSize(PHONE)
    await open(page, app.url('/work/walk-in'))
    await page.getByTestId('elderly-switch').click()
    await page.waitForFunction(() => document.documentElement.classList.contains('elderly'))
    await page.getByRole('heading', { level: 1, name: '窗口受理' }).waitFor()

    await chooseService(page)
    await fillApplication(page, SECOND)
    // the answer to the first attempt is lost on the way back (the case was filed): the retry carries
    // the same Idempotency-Key and gets the same receipt, not a second case
    const keys: string[] = []
    let lost: { caseNo?: string } | undefined
    await page.route('**/api/v1/walk-ins', async (route) => {
      keys.push(route.request().headers()['idempotency-key'] ?? '')
      if (lost) return route.continue()
      lost = (await (await route.fetch()).json()) as { caseNo?: string }
      await route.abort('connectionreset')
    })
    await page.getByRole('button', { name: /提交并出具回执/ }).click()
    await page.getByRole('alert').filter({ hasText: '网络连接失败' }).waitFor()
    await page.getByText('同一份申请不会重复登记').waitFor()
    const { caseNo } = await submitForReceipt(page)
    expect(caseNo).toBe(lost?.caseNo)
    expect(keys).toHaveLength(2)
    expect(keys[1]).toBe(keys[0])
    await page.getByTestId('query-code').scrollIntoViewIfNeeded()
    await expect(page.getByTestId('query-code').isVisible()).resolves.toBe(true)
    expect(await horizontalOverflow(page), 'receipt wider than the phone').toBeLessThanOrEqual(0)
    await shoot(page, 'work-walk-in-phone')
    expect(await seriousViolations(page), 'walk-in receipt on a phone').toEqual([])

    await page.getByRole('button', { name: /下一位申请人/ }).click()
    await page.getByRole('heading', { level: 1, name: '窗口受理' }).waitFor()
    await expect(page.getByTestId('case-no').count()).resolves.toBe(0)
    await expect(page.getByText(caseNo).count()).resolves.toBe(0)
    await chooseService(page)
    await expect(page.locator('#applicant_name').inputValue()).resolves.toBe('')
    await expect(page.locator('#applicant_idNumber').inputValue()).resolves.toBe('')
  })
})
