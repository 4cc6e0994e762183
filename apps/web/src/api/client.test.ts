import type { Problem } from '@tongban/contracts'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiProblem, apiFetch, configureApiClient, describeError, toProblem } from './client.ts'
import { applyProblemToForm, pointerToNamePath } from './form-errors.ts'

const validation: Problem = {
  type: 'https://tongban.dev/problems/validation',
  title: '请求参数有误',
  status: 422,
  code: 'validation',
  titles: { zh: '请求参数有误', en: 'Invalid request' },
  errors: [
    {
      path: '/applicant/idNumber',
      code: 'checkCharacter',
      message: { zh: '校验位错误', en: 'Bad check digit' },
    },
    { path: '/caseNo', code: 'required', message: { zh: '必填', en: 'Required' } },
    { path: '/unknown', code: 'required', message: { zh: '必填', en: 'Required' } },
  ],
  requestId: 'req-42',
}

function respond(status: number, body: unknown, contentType = 'application/problem+json'): void {
  vi.stubGlobal(
    'fetch',
    vi.fn(
      async () => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': contentType } }),
    ),
  )
}

afterEach(() => {
  vi.unstubAllGlobals()
  configureApiClient({
    getAccessToken: async () => undefined,
    onUnauthorized: () => {},
    getLanguage: () => 'zh-CN',
  })
})

describe('apiFetch', () => {
  it('sends the bearer token and the language, and parses JSON', async () => {
    const fetchMock = vi.fn(
      async () =>
        new Response('{"ok":true}', { status: 200, headers: { 'Content-Type': 'application/json' } }),
    )
    vi.stubGlobal('fetch', fetchMock)
    configureApiClient({ getAccessToken: async () => 'tok', getLanguage: () => 'en' })
    await expect(apiFetch('/things', { query: { q: '身份证', page: 1, none: undefined } })).resolves.toEqual({
      ok: true,
    })
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit]
    expect(url).toBe('/api/v1/things?q=%E8%BA%AB%E4%BB%BD%E8%AF%81&page=1')
    const headers = init.headers as Headers
    expect(headers.get('Authorization')).toBe('Bearer tok')
    expect(headers.get('Accept-Language')).toBe('en')
  })

  it('throws a typed ApiProblem for a problem document', async () => {
    respond(422, validation)
    const error = await apiFetch('/cases', { body: {} }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiProblem)
    expect((error as ApiProblem).code).toBe('validation')
    expect((error as ApiProblem).fieldErrors).toHaveLength(3)
  })

  it('starts login on 401', async () => {
    const onUnauthorized = vi.fn()
    configureApiClient({ onUnauthorized })
    respond(401, { ...validation, status: 401, code: 'unauthorized', errors: undefined })
    await expect(apiFetch('/me')).rejects.toBeInstanceOf(ApiProblem)
    expect(onUnauthorized).toHaveBeenCalledOnce()
  })

  it('turns a network failure into a bilingual problem', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('Failed to fetch')
      }),
    )
    const error = await apiFetch('/x').catch((e: unknown) => e)
    expect(describeError(error, 'zh-CN').title).toBe('网络连接失败，请检查网络后重试。')
  })

  it('treats an HTML answer (SPA fallback) as an error, not data', async () => {
    respond(200, '<html>', 'text/html')
    await expect(apiFetch('/x')).rejects.toBeInstanceOf(ApiProblem)
  })
})

describe('describeError', () => {
  it('never shows English-only text or a stack to a Chinese user', () => {
    const englishOnly = toProblem(500, { title: 'Internal Server Error', stack: 'at foo.js:1' })
    const description = describeError(new ApiProblem(englishOnly), 'zh-CN')
    expect(description.title).toBe('服务暂时不可用，请稍后再试。')
    expect(JSON.stringify(description)).not.toContain('at foo')
    expect(describeError(new Error('boom at x.js:1'), 'zh-CN').title).toBe('页面出现异常，请刷新后重试。')
  })

  it('uses the side of the titles in the current language', () => {
    expect(describeError(new ApiProblem(validation), 'en')).toEqual({
      title: 'Invalid request',
      detail: 'Please check and correct the marked fields.',
      requestId: 'req-42',
    })
  })
})

describe('applyProblemToForm', () => {
  it('maps JSON Pointers to name paths', () => {
    expect(pointerToNamePath('/applicant/idNumber')).toEqual(['applicant', 'idNumber'])
    expect(pointerToNamePath('/materials/0/a~1b')).toEqual(['materials', 0, 'a/b'])
  })

  it('sets field errors in the current language and reports unmatched ones', () => {
    const setFields = vi.fn()
    const form = {
      getFieldsError: () => [
        { name: ['applicant', 'idNumber'], errors: [], warnings: [] },
        { name: ['caseNo'], errors: [], warnings: [] },
      ],
      setFields,
    }
    const result = applyProblemToForm(form, new ApiProblem(validation), 'zh-CN')
    expect(setFields).toHaveBeenCalledWith([
      { name: ['applicant', 'idNumber'], errors: ['校验位错误'] },
      { name: ['caseNo'], errors: ['必填'] },
    ])
    expect(result.unmatched.map((e) => e.path)).toEqual(['/unknown'])
  })
})
