/// <reference lib="dom" />
// A newcomer registers on a phone in 长辈版, sets a new password through 找回密码 with the code the SMS
// carried, and logs in with it; a holder sees whom they let use a license, withdraws it, sees who used
// it and exports it as a W3C verifiable credential.
import { describe, expect, it } from 'vitest'
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

/** 林晓雯, not in the demo data: a valid 公民身份号码 of 杭州市西湖区 and a mobile number. */
const NEWCOMER = { name: '林晓雯', idNumber: '330106199203150422', phone: '13957100422' }
const FIRST_PASSWORD = 'Xihu#2026lin'
const NEW_PASSWORD = 'Baidi#2027su'

/** 王芳: holds a 居民身份证 (demo data). */
const HOLDER = { login: '13800000003' }

/** The access token the web app keeps for the logged-in user. */
function bearer(): string {
  const session = JSON.parse(sessionStorage.getItem('tongban.session') ?? '{}') as { accessToken?: string }
  return `Bearer ${session.accessToken}`
}

/** The last password reset code the local SMS provider sent to a phone. */
async function resetCodeSentTo(phone: string): Promise<string | undefined> {
  const sent = await app.notifications()
  return sent.filter((n) => n.to === phone && n.template === 'password-reset-code').at(-1)?.params.code
}

describe('registration and password reset', () => {
  it('registers a person on a phone in 长辈版, and refuses a malformed ID number beside its field', async () => {
    const page = await app.newPage({ viewport: PHONE, isMobile: true, hasTouch: true })
    await open(page, app.url('/'))
    await page.getByRole('link', { name: '注册' }).click()
    await page.getByRole('heading', { level: 1, name: '个人用户注册' }).waitFor()
    await page.getByTestId('elderly-switch').click()
    await expect.poll(() => bodyFontSize(page)).toBeGreaterThanOrEqual(20)

    await page.getByLabel('姓名').fill(NEWCOMER.name)
    await page.getByLabel('公民身份号码').fill('330106199203150421')
    await page.getByLabel('手机号码').fill(NEWCOMER.phone)
    await page.getByLabel('密码', { exact: true }).fill(FIRST_PASSWORD)
    await page.getByLabel('再次输入密码').fill(FIRST_PASSWORD)
    await page
      .getByRole('button', { name: /注\s*册/ })
      .last()
      .click()
    // the server's field error, in Chinese, next to the ID number
    await page.locator('#idNumber_help, .ant-form-item-explain-error').first().waitFor()
    await expect(page.getByTestId('register-done').count()).resolves.toBe(0)
    expect(await horizontalOverflow(page), 'registration on a phone').toBeLessThanOrEqual(0)
    expect(await seriousViolations(page), 'registration form with an error').toEqual([])

    await page.getByLabel('公民身份号码').fill(NEWCOMER.idNumber)
    await page
      .getByRole('button', { name: /注\s*册/ })
      .last()
      .click()
    await page.getByTestId('register-done').waitFor()
    await shoot(page, 'register-done')
    expect(await seriousViolations(page), 'registration done').toEqual([])
  })

  it('sets a new password with the code sent by SMS, then logs in with it', async () => {
    const page = await app.newPage({ viewport: PHONE, isMobile: true })
    await open(page, app.url('/password-reset'))
    expect(await seriousViolations(page), 'password reset form').toEqual([])
    await page.getByLabel('公民身份号码、统一社会信用代码或手机号码').fill(NEWCOMER.idNumber)
    await page.getByRole('button', { name: /获取验证码/ }).click()
    await page.getByTestId('reset-sent').waitFor()

    let code: string | undefined
    await expect
      .poll(async () => {
        code = await resetCodeSentTo(NEWCOMER.phone)
        return code
      })
      .toMatch(/^\d{6}$/)
    if (!code) throw new Error('no reset code')

    // a wrong code is refused, and the page stays on the code step
    await page.getByLabel('验证码').fill(code === '000000' ? '111111' : '000000')
    await page.getByLabel('新密码').fill(NEW_PASSWORD)
    await page.getByRole('button', { name: /设置新密码/ }).click()
    await page.locator('.ant-alert-error, .ant-form-item-explain-error').first().waitFor()
    await expect(page.getByTestId('reset-done').count()).resolves.toBe(0)

    await page.getByLabel('验证码').fill(code)
    await page.getByRole('button', { name: /设置新密码/ }).click()
    await page.getByTestId('reset-done').waitFor()
    expect(await horizontalOverflow(page), 'password reset on a phone').toBeLessThanOrEqual(0)
    expect(await seriousViolations(page), 'password reset done').toEqual([])

    const me = await app.newPage()
    await openLoggedIn(me, app.url('/me/cases'), { login: NEWCOMER.idNumber, password: NEW_PASSWORD })
    await me.getByText(NEWCOMER.name).first().waitFor()
  })
})

describe('用证授权 and 谁用过我的证照 in the wallet', () => {
  it('lists a grant, withdraws it, shows the reads and exports the license as a VC', async () => {
    const page = await app.newPage({ viewport: PHONE, isMobile: true, hasTouch: true })
    await openLoggedIn(page, app.url('/me/licenses'), HOLDER)
    await page.getByTestId('license-card').filter({ hasText: '居民身份证' }).getByRole('link').click()
    await page.getByRole('heading', { level: 1, name: '居民身份证' }).waitFor()
    await page.getByText('尚未授权任何部门使用这本证照。').waitFor()
    await page.getByText('还没有部门读取过这本证照。').waitFor()

    // the holder lets 杭州市西湖区市场监督管理局 use it (the API the apply page calls)
    const licenseId = new URL(page.url()).pathname.split('/').at(-1)!
    const created = await page.evaluate(
      async ({ id, auth }) => {
        const departments = (await (await fetch('/api/v1/departments?region=330106')).json()) as {
          items: { id: string; name: string }[]
        }
        const department = departments.items.find((d) => d.name.includes('市场监督管理局'))!
        const response = await fetch(`/api/v1/me/licenses/${id}/grants`, {
          method: 'POST',
          headers: { Authorization: auth, 'Content-Type': 'application/json' },
          body: JSON.stringify({
            departmentId: department.id,
            purpose: '办理个体工商户登记核验身份',
            validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
          }),
        })
        return { status: response.status, department: department.name }
      },
      { id: licenseId, auth: await page.evaluate(bearer) },
    )
    expect(created.status).toBe(201)
    await page.reload()
    const grants = page.getByTestId('license-grants')
    await grants.getByText('办理个体工商户登记核验身份').waitFor()
    await grants.getByText(created.department).waitFor()
    await expect(grants.getByText('有效', { exact: true }).count()).resolves.toBe(1)
    expect(await horizontalOverflow(page), 'wallet detail on a phone').toBeLessThanOrEqual(0)
    expect(await seriousViolations(page), 'wallet detail with a grant').toEqual([])
    await shoot(page, 'wallet-grants')

    await grants.getByRole('button', { name: '撤回授权' }).click()
    await page.getByRole('button', { name: '撤回授权' }).last().click()
    await grants.getByText('已撤回', { exact: true }).waitFor()
    await expect(grants.getByRole('button', { name: '撤回授权' }).count()).resolves.toBe(0)

    const download = page.waitForEvent('download')
    await page.getByRole('button', { name: /导出为可验证凭证/ }).click()
    const file = await download
    expect(file.suggestedFilename()).toMatch(/^居民身份证-.+\.vc\.jwt$/)
    await page.getByText('已下载可验证凭证。').waitFor()
  })
})
