/**
 * Tongban's own login pages (统一身份认证), server-rendered: Chinese first with English, no scripts,
 * no external assets (the stylesheet is served under /oidc/assets/), large type for elderly users.
 */

export type Language = 'zh' | 'en'

/** Texts of the login pages in both languages. */
const TEXT = {
  siteName: { zh: '通办 · 统一身份认证平台', en: 'Tongban · Unified Identity' },
  skip: { zh: '跳到主要内容', en: 'Skip to main content' },
  switchLanguage: { zh: 'English', en: '中文' },
  largeTypeOn: { zh: '大字版', en: 'Large type' },
  largeTypeOff: { zh: '标准版', en: 'Standard type' },
  loginTitle: { zh: '登录', en: 'Log in' },
  loginTo: { zh: '登录后将返回', en: 'After logging in you will return to' },
  loginName: { zh: '账号', en: 'Account' },
  loginHint: {
    zh: '身份证号、统一社会信用代码、手机号或工作人员用户名',
    en: 'ID number, unified social credit code, mobile number or staff user name',
  },
  password: { zh: '密码', en: 'Password' },
  submitLogin: { zh: '登录', en: 'Log in' },
  cancel: { zh: '取消并返回', en: 'Cancel and go back' },
  'invalid-credentials': {
    zh: '账号或密码不正确。',
    en: 'The account or password is incorrect.',
  },
  locked: {
    zh: '登录失败次数过多，账户已暂时锁定，请于 {time} 后再试。',
    en: 'Too many failed attempts: the account is locked until {time}.',
  },
  lockedNoTime: { zh: '账户已暂时锁定，请稍后再试。', en: 'The account is locked; try again later.' },
  disabled: {
    zh: '该账户已停用，请联系政务服务中心。',
    en: 'This account is disabled; please contact the government service centre.',
  },
  'totp-required': { zh: '请输入动态验证码。', en: 'Enter your one-time code.' },
  'totp-invalid': { zh: '动态验证码不正确，请重新输入。', en: 'The one-time code is incorrect; try again.' },
  missingFields: { zh: '请填写账号和密码。', en: 'Enter your account and password.' },
  totpTitle: { zh: '二次验证', en: 'Second factor' },
  totpIntro: {
    zh: '请打开身份验证器应用，输入显示的 6 位动态验证码。',
    en: 'Open your authenticator app and enter the 6-digit code it shows.',
  },
  totpCode: { zh: '动态验证码', en: 'One-time code' },
  verify: { zh: '验证', en: 'Verify' },
  enrolTitle: { zh: '绑定身份验证器', en: 'Set up an authenticator' },
  enrolIntro: {
    zh: '工作人员账户必须启用二次验证。请用身份验证器应用扫描二维码，或手动输入下面的密钥，然后输入应用显示的验证码。',
    en: 'Staff accounts must use a second factor. Scan the QR code with an authenticator app, or enter the key below by hand, then enter the code the app shows.',
  },
  enrolUri: { zh: '手动输入的链接', en: 'Link to enter by hand' },
  enrolQr: { zh: '身份验证器二维码', en: 'Authenticator QR code' },
  enrolUnavailable: {
    zh: '工作人员账户必须绑定身份验证器，但绑定功能暂不可用，请联系安全管理员。',
    en: 'Staff accounts must set up an authenticator, but enrolment is not available yet; contact the security administrator.',
  },
  actingTitle: { zh: '选择办事身份', en: 'Choose who you act for' },
  actingIntro: {
    zh: '您已获授权代表以下企业办事。请选择本次登录的身份。',
    en: 'You are authorized to act for the companies below. Choose who you act for in this session.',
  },
  actingSelf: { zh: '以个人身份办事', en: 'Act for myself' },
  actingCompany: { zh: '代表企业办事：', en: 'Act for the company: ' },
  continue: { zh: '继续', en: 'Continue' },
  consentTitle: { zh: '授权确认', en: 'Allow access' },
  consentIntro: {
    zh: '“{client}” 请求获取您的以下信息：',
    en: '“{client}” asks for the following information about you:',
  },
  allow: { zh: '同意授权', en: 'Allow' },
  deny: { zh: '拒绝', en: 'Deny' },
  scope_openid: { zh: '您的账户标识', en: 'Your account identifier' },
  scope_profile: {
    zh: '姓名、账户类型、实名等级、脱敏证件号码、代办企业及工作人员角色',
    en: 'Name, account kind, real-name level, masked ID number, company you act for and staff roles',
  },
  scope_offline_access: {
    zh: '在您离开后继续保持访问',
    en: 'Keep access while you are away',
  },
  logoutTitle: { zh: '退出登录', en: 'Log out' },
  logoutQuestion: { zh: '确定要退出统一身份认证吗？', en: 'Do you want to log out of Tongban?' },
  logoutFrom: { zh: '来自：{client}', en: 'Requested by: {client}' },
  logoutYes: { zh: '确定退出', en: 'Yes, log me out' },
  logoutNo: { zh: '保持登录', en: 'No, stay logged in' },
  loggedOutTitle: { zh: '已退出登录', en: 'You have logged out' },
  loggedOutBody: { zh: '您已安全退出统一身份认证。', en: 'You have safely logged out of Tongban.' },
  backHome: { zh: '返回首页', en: 'Back to the home page' },
  errorTitle: { zh: '登录出现问题', en: 'Something went wrong' },
  errorBody: {
    zh: '本次登录请求无法完成，请返回原网站重新发起登录。',
    en: 'This login request cannot be completed; go back to the site and log in again.',
  },
  errorCode: { zh: '错误代码', en: 'Error code' },
  expired: {
    zh: '登录页面已过期，请返回原网站重新登录。',
    en: 'This login page has expired; go back to the site and log in again.',
  },
  footer: {
    zh: '通办 一体化在线政务服务平台 · 请勿向任何人透露您的密码和验证码',
    en: 'Tongban integrated online government services · Never tell anyone your password or codes',
  },
} as const satisfies Record<string, Record<Language, string>>

export type TextKey = keyof typeof TEXT

/** A text in the page's language, with {placeholders} filled in. */
export function t(language: Language, key: TextKey, values: Record<string, string> = {}): string {
  return TEXT[key][language].replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '')
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

export interface PageContext {
  language: Language
  largeType: boolean
  /** The current page's path (and query) without lang/large switches, for the switch links. */
  path?: string
}

function switchLink(path: string, param: string, value: string): string {
  const url = new URL(path, 'http://x')
  url.searchParams.set(param, value)
  return `${url.pathname}${url.search}`
}

/** The page frame: header with language and large-type switches, main card, footer. */
export function layout(page: PageContext, title: string, body: string): string {
  const { language, largeType } = page
  const path = page.path ?? ''
  const switches = path
    ? `<nav class="switches" aria-label="${language === 'zh' ? '显示设置' : 'Display settings'}">
        <a href="${escapeHtml(switchLink(path, 'lang', language === 'zh' ? 'en' : 'zh'))}" lang="${language === 'zh' ? 'en' : 'zh-CN'}">${t(language, 'switchLanguage')}</a>
        <a href="${escapeHtml(switchLink(path, 'large', largeType ? '0' : '1'))}">${t(language, largeType ? 'largeTypeOff' : 'largeTypeOn')}</a>
      </nav>`
    : ''
  return `<!DOCTYPE html>
<html lang="${language === 'zh' ? 'zh-CN' : 'en'}"${largeType ? ' class="large"' : ''}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} - ${t(language, 'siteName')}</title>
<link rel="stylesheet" href="/oidc/assets/tongban.css">
</head>
<body>
<a class="skip" href="#main">${t(language, 'skip')}</a>
<header class="banner">
  <div class="banner-inner">
    <span class="emblem" aria-hidden="true">通</span>
    <span class="site-name">${t(language, 'siteName')}</span>
    ${switches}
  </div>
</header>
<main id="main" class="card">
<h1>${escapeHtml(title)}</h1>
${body}
</main>
<footer class="footer">${t(language, 'footer')}</footer>
</body>
</html>`
}

function alert(message: string | undefined): string {
  return message ? `<p class="alert" role="alert" id="form-error">${escapeHtml(message)}</p>` : ''
}

/** The password login form. */
export function renderLoginPage(
  page: PageContext & { action: string; abort: string; clientName: string; login?: string; error?: string },
): string {
  const { language } = page
  const described = page.error
    ? ' aria-describedby="form-error login-hint"'
    : ' aria-describedby="login-hint"'
  return layout(
    page,
    t(language, 'loginTitle'),
    `<p class="muted">${t(language, 'loginTo')}：<strong>${escapeHtml(page.clientName)}</strong></p>
${alert(page.error)}
<form method="post" action="${escapeHtml(page.action)}" novalidate>
  <label for="login">${t(language, 'loginName')}</label>
  <input id="login" name="login" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required value="${escapeHtml(page.login ?? '')}"${described}${page.login ? '' : ' autofocus'}>
  <p class="hint" id="login-hint">${t(language, 'loginHint')}</p>
  <label for="password">${t(language, 'password')}</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required${page.login ? ' autofocus' : ''}>
  <button type="submit" class="primary">${t(language, 'submitLogin')}</button>
</form>
<p class="secondary"><a href="${escapeHtml(page.abort)}">${t(language, 'cancel')}</a></p>`,
  )
}

/** The TOTP step. */
export function renderTotpPage(
  page: PageContext & { action: string; abort: string; error?: string },
): string {
  const { language } = page
  return layout(
    page,
    t(language, 'totpTitle'),
    `<p>${t(language, 'totpIntro')}</p>
${alert(page.error)}
<form method="post" action="${escapeHtml(page.action)}" novalidate>
  <label for="code">${t(language, 'totpCode')}</label>
  <input id="code" name="code" type="text" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autocomplete="one-time-code" required autofocus${page.error ? ' aria-describedby="form-error"' : ''}>
  <button type="submit" class="primary">${t(language, 'verify')}</button>
</form>
<p class="secondary"><a href="${escapeHtml(page.abort)}">${t(language, 'cancel')}</a></p>`,
  )
}

/** First-login enrolment of an authenticator (mandatory for staff). */
export function renderEnrolPage(
  page: PageContext & {
    action: string
    abort: string
    otpauthUri?: string
    qrDataUrl?: string
    error?: string
  },
): string {
  const { language } = page
  if (!page.otpauthUri) {
    return layout(
      page,
      t(language, 'enrolTitle'),
      `${alert(t(language, 'enrolUnavailable'))}<p class="secondary"><a href="${escapeHtml(page.abort)}">${t(language, 'cancel')}</a></p>`,
    )
  }
  return layout(
    page,
    t(language, 'enrolTitle'),
    `<p>${t(language, 'enrolIntro')}</p>
${alert(page.error)}
${page.qrDataUrl ? `<p class="qr"><img src="${escapeHtml(page.qrDataUrl)}" alt="${t(language, 'enrolQr')}" width="220" height="220"></p>` : ''}
<p><span class="label">${t(language, 'enrolUri')}</span><code class="uri">${escapeHtml(page.otpauthUri)}</code></p>
<form method="post" action="${escapeHtml(page.action)}" novalidate>
  <label for="code">${t(language, 'totpCode')}</label>
  <input id="code" name="code" type="text" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autocomplete="one-time-code" required autofocus>
  <button type="submit" class="primary">${t(language, 'verify')}</button>
</form>
<p class="secondary"><a href="${escapeHtml(page.abort)}">${t(language, 'cancel')}</a></p>`,
  )
}

/** The "act for a company" choice of an agent. */
export function renderActingPage(
  page: PageContext & {
    action: string
    abort: string
    companies: { accountId: string; name: string; uscc: string }[]
  },
): string {
  const { language } = page
  const options = page.companies
    .map(
      (company, index) => `<div class="choice">
    <input type="radio" id="company-${index}" name="company" value="${escapeHtml(company.accountId)}">
    <label for="company-${index}">${t(language, 'actingCompany')}${escapeHtml(company.name)} <span class="muted">（${escapeHtml(company.uscc)}）</span></label>
  </div>`,
    )
    .join('\n')
  return layout(
    page,
    t(language, 'actingTitle'),
    `<p>${t(language, 'actingIntro')}</p>
<form method="post" action="${escapeHtml(page.action)}">
  <fieldset>
  <legend class="visually-hidden">${t(language, 'actingTitle')}</legend>
  <div class="choice">
    <input type="radio" id="company-self" name="company" value="" checked>
    <label for="company-self">${t(language, 'actingSelf')}</label>
  </div>
  ${options}
  </fieldset>
  <button type="submit" class="primary">${t(language, 'continue')}</button>
</form>
<p class="secondary"><a href="${escapeHtml(page.abort)}">${t(language, 'cancel')}</a></p>`,
  )
}

/** The consent page of a third-party client, listing what it asks for. */
export function renderConsentPage(
  page: PageContext & { action: string; clientName: string; scopes: string[] },
): string {
  const { language } = page
  const items = page.scopes
    .filter((scope): scope is 'openid' | 'profile' | 'offline_access' =>
      ['openid', 'profile', 'offline_access'].includes(scope),
    )
    .map((scope) => `<li><strong>${scope}</strong>：${t(language, `scope_${scope}`)}</li>`)
    .join('\n')
  return layout(
    page,
    t(language, 'consentTitle'),
    `<p>${t(language, 'consentIntro', { client: escapeHtml(page.clientName) })}</p>
<ul class="scopes">${items}</ul>
<form method="post" action="${escapeHtml(page.action)}" class="buttons">
  <button type="submit" name="decision" value="allow" class="primary" autofocus>${t(language, 'allow')}</button>
  <button type="submit" name="decision" value="deny">${t(language, 'deny')}</button>
</form>`,
  )
}

/** The RP-initiated logout confirmation; `form` is the provider's hidden form with its xsrf token. */
export function renderLogoutPage(
  page: PageContext & { form: string; clientName: string | undefined },
): string {
  const { language } = page
  return layout(
    page,
    t(language, 'logoutTitle'),
    `<p>${t(language, 'logoutQuestion')}</p>
${page.clientName ? `<p class="muted">${t(language, 'logoutFrom', { client: escapeHtml(page.clientName) })}</p>` : ''}
${page.form}
<div class="buttons">
  <button type="submit" form="op.logoutForm" name="logout" value="yes" class="primary" autofocus>${t(language, 'logoutYes')}</button>
  <button type="submit" form="op.logoutForm">${t(language, 'logoutNo')}</button>
</div>`,
  )
}

/** After a logout without a return address. */
export function renderLoggedOutPage(page: PageContext): string {
  const { language } = page
  return layout(
    page,
    t(language, 'loggedOutTitle'),
    `<p>${t(language, 'loggedOutBody')}</p><p><a class="button primary" href="/">${t(language, 'backHome')}</a></p>`,
  )
}

/** An error the user cannot fix on this page. */
export function renderErrorPage(
  page: PageContext & { error: string; description?: string | undefined },
): string {
  const { language } = page
  return layout(
    page,
    t(language, 'errorTitle'),
    `${alert(page.error === 'session_expired' ? t(language, 'expired') : t(language, 'errorBody'))}
<p class="muted">${t(language, 'errorCode')}：<code>${escapeHtml(page.error)}</code>${page.description ? ` — ${escapeHtml(page.description)}` : ''}</p>
<p><a class="button" href="/">${t(language, 'backHome')}</a></p>`,
  )
}

/** The pages' stylesheet, served at /oidc/assets/tongban.css (CSP: no inline styles needed). */
export const STYLESHEET = `
*,*::before,*::after{box-sizing:border-box}
html{font-size:16px;-webkit-text-size-adjust:100%}
html.large{font-size:21px}
body{margin:0;font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC",system-ui,sans-serif;line-height:1.6;color:#1f1f1f;background:#f0f2f5}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem 1rem;z-index:10}
.skip:focus{left:.5rem}
.banner{background:linear-gradient(90deg,#a8071a,#c8102e);color:#fff;border-bottom:4px solid #d4a017}
.banner-inner{max-width:60rem;margin:0 auto;padding:.75rem 1rem;display:flex;align-items:center;gap:.75rem;flex-wrap:wrap}
.emblem{display:inline-flex;align-items:center;justify-content:center;width:2.25rem;height:2.25rem;border-radius:50%;background:#d4a017;color:#a8071a;font-weight:700;font-size:1.25rem}
.site-name{font-size:1.25rem;font-weight:600;letter-spacing:.05em}
.switches{margin-left:auto;display:flex;gap:1rem}
.switches a{color:#fff;text-decoration:underline;padding:.25rem}
.card{max-width:30rem;margin:2rem auto;background:#fff;border-radius:6px;box-shadow:0 1px 4px rgba(0,0,0,.12);padding:1.5rem 1.75rem 2rem}
html.large .card{max-width:38rem}
h1{font-size:1.5rem;margin:0 0 1rem;color:#a8071a;border-left:4px solid #c8102e;padding-left:.6rem}
label,.label{display:block;font-weight:600;margin:1rem 0 .35rem}
input[type=text],input[type=password]{width:100%;font-size:1rem;padding:.65rem .75rem;border:1px solid #8c8c8c;border-radius:4px}
input:focus,button:focus,a:focus{outline:3px solid #1677ff;outline-offset:2px}
.hint,.muted{color:#595959;font-size:.9rem;margin:.3rem 0 0}
button,.button{display:inline-block;font-size:1rem;padding:.65rem 1.25rem;border-radius:4px;border:1px solid #8c8c8c;background:#fff;color:#1f1f1f;cursor:pointer;text-decoration:none;min-height:2.75rem}
button.primary,.button.primary{background:#c8102e;border-color:#c8102e;color:#fff;font-weight:600}
form>button.primary{width:100%;margin-top:1.5rem}
.buttons{display:flex;gap:.75rem;flex-wrap:wrap;margin-top:1.25rem}
.buttons button{flex:1}
.alert{background:#fff1f0;border:1px solid #ffa39e;color:#820014;padding:.65rem .85rem;border-radius:4px}
.secondary{margin-top:1.25rem;text-align:center}
fieldset{border:0;padding:0;margin:0}
.choice{display:flex;align-items:flex-start;gap:.5rem;margin:.6rem 0}
.choice input{width:1.25rem;height:1.25rem;margin-top:.3rem}
.choice label{font-weight:400;margin:0}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.scopes{padding-left:1.25rem}
.qr{text-align:center}
.qr img{width:14rem;height:14rem;image-rendering:pixelated}
code.uri{display:block;word-break:break-all;background:#fafafa;border:1px solid #d9d9d9;padding:.5rem;font-size:.85rem}
.footer{text-align:center;color:#595959;font-size:.85rem;padding:1rem}
@media (max-width:480px){.card{margin:0;border-radius:0;box-shadow:none}.banner-inner{padding:.6rem .75rem}.switches{margin-left:0}}
`
