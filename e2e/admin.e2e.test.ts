/// <reference lib="dom" />
// The admin console in a real browser, with 三员分立: the security admin grants roles (and is refused
// a second admin role for one person), the system admin sees staff without grant controls and keeps
// the holiday calendar, and only the audit admin reads the audit log — where the grant shows up.
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { shoot } from './journeys.ts'
import { open, openLoggedIn, seriousViolations, useBrowserApp } from './support.ts'

const app = useBrowserApp()

const staffLogin = (username: string) => ({ login: username, totp: () => app.totp(username) })

/** Picks an option of the AntD select labelled `label`, typing to narrow long lists. */
async function choose(page: Page, scope: ReturnType<Page['locator']>, label: string, option: string) {
  await scope.getByLabel(label, { exact: true }).click()
  await page.keyboard.type(option)
  await page
    .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option })
    .first()
    .click()
}

describe('admin console (三员分立)', () => {
  beforeAll(() => app.keepContexts(true))
  afterAll(() => app.keepContexts(false))

  it('the security admin grants a role, and may not make one person two kinds of admin', async () => {
    const page = await app.newPage()
    await openLoggedIn(page, app.url('/admin/staff'), staffLogin('secadmin'))
    await page.getByRole('heading', { level: 1, name: '人员与角色' }).waitFor()
    const menu = page.getByRole('navigation', { name: '管理后台' })
    await expect(menu.getByText('审计日志').count()).resolves.toBe(0)

    await page.getByPlaceholder('按用户名或姓名筛选').fill('xh.zw.clerk')
    const row = page.locator('tr', { hasText: 'xh.zw.clerk' }).first()
    await row.getByRole('button', { name: '授予角色' }).click()
    const form = page.getByTestId('grant-form-xh.zw.clerk')
    await choose(page, form, '角色', '审查人员')
    await choose(page, form, '部门', '杭州市西湖区政务服务中心')
    await form.getByRole('button', { name: '授予角色' }).click()
    await page
      .locator('tr', { hasText: 'xh.zw.clerk' })
      .first()
      .locator('.grant-list li', { hasText: '审查人员' })
      .waitFor()
    await shoot(page, 'admin-staff')
    expect(await seriousViolations(page)).toEqual([])

    // 三员分立: the system admin cannot also become the audit admin
    await page.getByPlaceholder('按用户名或姓名筛选').fill('sysadmin')
    await page
      .locator('tr', { hasText: 'sysadmin' })
      .first()
      .getByRole('button', { name: '授予角色' })
      .click()
    const other = page.getByTestId('grant-form-sysadmin')
    await choose(page, other, '角色', '审计管理员')
    await other.getByRole('button', { name: '授予角色' }).click()
    // beside the role field, and the rule spelled out above the form
    await other.locator('.ant-form-item-explain-error', { hasText: '该账户已是系统管理员' }).waitFor()
    const refusal = other.getByRole('alert').filter({ hasText: '三员分立' })
    await refusal.waitFor()
    expect(await refusal.textContent()).not.toMatch(/Error|at \w+ \(/)

    // the audit log is not for them
    await open(page, app.url('/admin/audit'))
    await page.getByRole('heading', { level: 1, name: '无权访问该栏目' }).waitFor()
  })

  it('the system admin sees staff without grant controls and adds a holiday to the calendar', async () => {
    const page = await app.newPage()
    await openLoggedIn(page, app.url('/admin/staff'), staffLogin('sysadmin'))
    await page.getByRole('heading', { level: 1, name: '人员与角色' }).waitFor()
    await page.getByText('角色只能由安全管理员授予或撤销（三员分立）。').waitFor()
    await page.getByPlaceholder('按用户名或姓名筛选').fill('xh.zw.clerk')
    await page.locator('tr', { hasText: 'xh.zw.clerk' }).first().locator('.grant-list li').first().waitFor()
    await expect(page.getByRole('button', { name: '授予角色' }).count()).resolves.toBe(0)
    await expect(page.getByRole('button', { name: '撤销' }).count()).resolves.toBe(0)

    await open(page, app.url('/admin/calendar'))
    await page.getByRole('heading', { level: 1, name: '工作日历' }).waitFor()
    // the form asks for the date before anything is sent
    await page.getByRole('button', { name: /添\s*加/ }).click()
    await page.getByText('请选择日期').waitFor()
    await page.getByLabel('日期', { exact: true }).fill('2026-12-28')
    await page.getByLabel('名称', { exact: true }).fill('演练假日')
    await page.getByRole('button', { name: /添\s*加/ }).click()
    await page.getByText('已添加：2026-12-28').waitFor()
    await page.locator('tr', { hasText: '演练假日' }).waitFor()
    await shoot(page, 'admin-calendar')
    expect(await seriousViolations(page)).toEqual([])
  })

  it('the audit admin alone reads the audit log, and finds the grant in it', async () => {
    const page = await app.newPage()
    await openLoggedIn(page, app.url('/admin'), staffLogin('auditadmin'))
    await page.getByRole('heading', { level: 1, name: '审计日志' }).waitFor()
    await page.getByLabel('操作', { exact: true }).fill('role.grant')
    await page.getByRole('button', { name: /查\s*询/ }).click()
    await page.locator('.audit-table tbody tr', { hasText: 'role.grant' }).first().waitFor()
    await shoot(page, 'admin-audit')
    expect(await seriousViolations(page)).toEqual([])
    // and nothing else: staff and calendar are other admins' business
    await open(page, app.url('/admin/staff'))
    await page.getByRole('heading', { level: 1, name: '无权访问该栏目' }).waitFor()
  })

  it('a department admin edits a guide as a draft, sees the rule broken beside the field, and publishes', async () => {
    const page = await app.newPage()
    await openLoggedIn(page, app.url('/admin/items'), staffLogin('hz.sj.admin'))
    await page.getByRole('heading', { level: 1, name: '事项管理' }).waitFor()
    await page.getByPlaceholder('按事项名称筛选').fill('企业设立登记')
    const row = page.locator('tr', { hasText: '企业设立登记' }).first()
    await expect(row.textContent()).resolves.toContain('v1')
    await row.getByRole('button', { name: '编辑指南' }).click()
    const create = page.getByRole('button', { name: '从已发布版本创建草稿' })
    await create.or(page.getByTestId('draft-status')).first().waitFor()
    if (await create.count()) await create.click()
    await page.getByTestId('draft-status').filter({ hasText: '草稿' }).waitFor()

    // a promise longer than the law allows: the catalog's message appears beside the field
    await page.getByLabel('承诺时限（工作日）').fill('99')
    await page.getByRole('button', { name: /保\s*存/ }).click()
    await page
      .locator('.ant-form-item-explain-error', { hasText: '承诺时限（99 个工作日）不能超过法定时限' })
      .waitFor()
    await page.getByLabel('承诺时限（工作日）').fill('3')
    await page.getByRole('button', { name: /保\s*存/ }).click()
    await page.getByText('草稿已保存').waitFor()

    await page.getByRole('button', { name: /送\s*审/ }).click()
    await page.getByTestId('draft-status').filter({ hasText: '待审核' }).waitFor()
    // 四眼原则: the author may not publish their own draft
    await page.getByLabel('审核意见').fill('自己审核')
    await page.getByRole('button', { name: '审核通过并发布' }).click()
    await page
      .getByText(/四眼原则/)
      .first()
      .waitFor()
    await expect(row.textContent()).resolves.toContain('v1')

    // a second person, the department's other admin, reviews and publishes it
    const reviewer = await app.newPage()
    await openLoggedIn(reviewer, app.url('/admin/items'), staffLogin('hz.sj.admin2'))
    await reviewer.getByRole('heading', { level: 1, name: '事项管理' }).waitFor()
    await reviewer.getByPlaceholder('按事项名称筛选').fill('企业设立登记')
    const listed = reviewer.locator('tr', { hasText: '企业设立登记' })
    await listed.first().getByRole('button', { name: '编辑指南' }).click()
    await reviewer.getByTestId('draft-status').filter({ hasText: '待审核' }).waitFor()
    await reviewer.getByLabel('审核意见').fill('承诺时限压缩为 3 个工作日')
    await reviewer.getByRole('button', { name: '审核通过并发布' }).click()
    await expect.poll(() => listed.first().textContent(), { timeout: 10_000 }).toContain('v2')
    await shoot(reviewer, 'admin-items')
    expect(await seriousViolations(reviewer)).toEqual([])

    // the license types its kind of department issues: a shorter QR code lifetime for 营业执照
    await open(page, app.url('/admin/license-types'))
    await page
      .locator('tr', { hasText: '营业执照' })
      .first()
      .getByRole('button', { name: /编\s*辑/ })
      .click()
    await page.getByRole('heading', { level: 2, name: '修改证照类型：营业执照' }).waitFor()
    await page.getByLabel('亮证码有效时长（分钟）').fill('3')
    await page.getByRole('button', { name: /保\s*存/ }).click()
    await page.getByText('已保存：营业执照').waitFor()
  })

  it('a window clerk has no admin section at all', async () => {
    const page = await app.newPage()
    await openLoggedIn(page, app.url('/admin'), staffLogin('xh.zw.clerk'))
    await page.getByRole('heading', { level: 1, name: '您没有管理权限' }).waitFor()
  })
})
