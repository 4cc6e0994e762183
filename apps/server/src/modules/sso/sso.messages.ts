/**
 * The sso module's bilingual texts: the problem details its API answers, and the words of its login pages
 * (Chinese first, with English).
 */

/** Problem details of the API's authenticator and the client registration. */
export const SSO_PROBLEMS = {
  actingForRevoked: {
    zh: '您代表该企业办事的授权已失效',
    en: 'Your authorization to act for this company is no longer valid',
  },
  accountDisabled: {
    zh: '该账户已停用，登录已失效；如有疑问请联系政务服务中心',
    en: 'This account is disabled and its login has ended; please contact the government service centre',
  },
  redirectUrisRefused: {
    zh: '回调地址必须使用 https（开发环境可用 http://localhost），且不能包含 #片段',
    en: 'Redirect URIs must use https (http://localhost for development) and have no fragment',
  },
} as const

/** The message of one refused redirect URI. */
export function redirectUriRefused(uri: string): { zh: string; en: string } {
  return {
    zh: `${uri}：须为 https 地址（开发环境可用 http://localhost），且不含 #片段`,
    en: `${uri}: must be https, or http://localhost for development, without a fragment`,
  }
}

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
