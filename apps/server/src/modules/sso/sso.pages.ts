/**
 * Tongban's own login pages (统一身份认证), server-rendered: Chinese first with English, no scripts,
 * no external assets (the stylesheet is served under /oidc/assets/), large type for elderly users.
 */
import { type Language, t } from './sso.messages.ts'

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
