import { createPrivateKey } from 'node:crypto'
import { buildUscc } from '@tongban/standards'
import { verifyCredential } from 'did-jwt-vc'
import { type DIDDocument, type DIDResolutionResult, Resolver } from 'did-resolver'
import { SignJWT } from 'jose'
import {
  decodePDFRawStream,
  PDFArray,
  PDFDict,
  PDFDocument,
  type PDFHexString,
  PDFName,
  type PDFRawStream,
  type PDFString,
} from 'pdf-lib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FixedClock } from '../../platform/clock.ts'
import { createTestServer, type TestServer, useTestActors } from '../../testing/test-server.ts'
import { orgModule, orgService } from '../org/index.ts'
import { licensesPorts } from '../wiring.ts'
import { createLicensesModule } from './index.ts'
import { type PublishedKey, type SignedLicenseFile, verifyLicenseOffline } from './licenses.document.ts'

const PUBLIC_URL = 'https://tongban.example.gov.cn:8443'
const system = { actorId: null, actorKind: 'system' as const, ip: null, requestId: null }
const clock = new FixedClock(new Date('2026-11-23T02:00:00Z'))
const companyUscc = buildUscc({
  registrationAuthority: '9',
  entityType: '1',
  regionCode: '330106',
  organizationCode: 91,
})

let server: TestServer
let as: (name: string) => Record<string, string>
let market: { id: string; uscc: string }
let licenseId: string
let licenseNo: string

async function startServer(pdfFonts?: { path: string }[]) {
  const started = await createTestServer({
    clock,
    config: { publicUrl: PUBLIC_URL },
    modules: [orgModule, createLicensesModule(licensesPorts, pdfFonts ? { pdfFonts } : {})],
  })
  const department = await orgService(started.platform).createDepartment(
    {
      name: '杭州市西湖区市场监督管理局',
      shortName: '西湖区市场监管局',
      kind: 'market_regulation',
      regionCode: '330106',
      uscc: buildUscc({
        registrationAuthority: '1',
        entityType: '1',
        regionCode: '330106',
        organizationCode: 3001,
      }),
    },
    system,
  )
  const headers = useTestActors(started, {
    security: {
      kind: 'staff',
      accountId: 's-sec',
      name: '安全管理员',
      roles: [{ role: 'security_admin', departmentId: department.id, regionCode: '330106' }],
      realNameLevel: 3,
    },
    approver: {
      kind: 'staff',
      accountId: 's-app',
      name: '审批人',
      roles: [{ role: 'approver', departmentId: department.id, regionCode: '330106' }],
      realNameLevel: 3,
    },
    agent: {
      kind: 'person',
      accountId: 'p-1',
      name: '张三',
      roles: [],
      realNameLevel: 3,
      actingFor: { accountId: 'c-1', name: '杭州西湖凭证科技有限公司' },
    },
    citizen: { kind: 'person', accountId: 'p-2', name: '李四', roles: [], realNameLevel: 3 },
  })
  const rotated = await started.app.inject({
    method: 'POST',
    url: `/api/v1/departments/${department.id}/license-keys/rotate`,
    headers: headers('security'),
  })
  expect(rotated.statusCode).toBe(201)
  const issued = await started.app.inject({
    method: 'POST',
    url: '/api/v1/licenses',
    headers: headers('approver'),
    payload: {
      typeCode: '11100000000010014P001',
      departmentId: department.id,
      holder: {
        kind: 'company',
        accountId: 'c-1',
        name: '杭州西湖凭证科技有限公司',
        identifier: companyUscc,
      },
      fields: {
        companyName: '杭州西湖凭证科技有限公司',
        uscc: companyUscc,
        legalRepresentative: '张三',
        registeredCapital: 200,
        establishedOn: '2021-04-08',
        address: '浙江省杭州市西湖区文三路 90 号 3 幢 501 室',
        businessScope: '技术服务、技术开发、技术咨询；软件开发；信息系统集成服务',
      },
      validFrom: '2021-04-08',
      reason: '历史执照电子化',
    },
  })
  expect(issued.statusCode).toBe(201)
  return { started, department, headers, license: issued.json() as { id: string; licenseNo: string } }
}

beforeAll(async () => {
  const s = await startServer()
  server = s.started
  market = s.department
  as = s.headers
  licenseId = s.license.id
  licenseNo = s.license.licenseNo
})
afterAll(() => server?.close())

const inject = (method: 'GET' | 'POST', url: string, who?: string, payload?: object) =>
  server.app.inject({ method, url, ...(who ? { headers: as(who) } : {}), ...(payload ? { payload } : {}) })

/** did:web → the path of its document on its host, by the did:web method's own rule (not the server's code). */
function didWebLocation(did: string): { host: string; path: string } {
  const [method, host, ...segments] = did.slice('did:'.length).split(':')
  expect(method).toBe('web')
  const path = segments.length
    ? `/${segments.map(decodeURIComponent).join('/')}/did.json`
    : '/.well-known/did.json'
  return { host: decodeURIComponent(host!), path }
}

/** Fetches the issuer's DID document from the server once, as a did:web resolver would. */
async function fetchDidDocument(did: string): Promise<DIDDocument> {
  const { host, path } = didWebLocation(did)
  expect(`https://${host}`).toBe(PUBLIC_URL)
  const response = await server.app.inject({ url: path, headers: { host } })
  expect(response.statusCode).toBe(200)
  expect(response.headers['content-type']).toContain('application/did+json')
  return response.json()
}

/** A resolver that knows only the given documents: verification touches no server and no network. */
function offlineResolver(documents: DIDDocument[]): Resolver {
  return new Resolver({
    web: async (did): Promise<DIDResolutionResult> => {
      const didDocument = documents.find((d) => d.id === did) ?? null
      return {
        didDocument,
        didDocumentMetadata: {},
        didResolutionMetadata: didDocument ? { contentType: 'application/did+json' } : { error: 'notFound' },
      }
    },
  })
}

/**
 * The verifier's rule for rotated keys (docs/decisions/0007): a credential is genuine only if it was
 * signed (nbf) before the `expires` of the verification method that verified it.
 */
function signedWithinKeyPeriod(verified: Awaited<ReturnType<typeof verifyCredential>>): boolean {
  const expires = (verified.signer as { expires?: string }).expires
  return expires === undefined || (verified.payload.nbf ?? 0) * 1000 < Date.parse(expires)
}

const verifyOptions = () => ({ policies: { now: Math.floor(clock.now().getTime() / 1000) } })

const exportCredential = async () => {
  const response = await inject('GET', `/api/v1/me/licenses/${licenseId}/credential`, 'agent')
  expect(response.statusCode).toBe(200)
  return response.json() as { jwt: string; issuer: string; verificationMethod: string; expiresAt: null }
}

describe('W3C credential export', () => {
  let firstCredential: string
  let firstDocument: DIDDocument

  it('publishes the department’s did:web document at the path did:web resolution gives', async () => {
    const did = `did:web:tongban.example.gov.cn%3A8443:departments:${market.id}`
    const document = await fetchDidDocument(did)
    expect(didWebLocation(did).path).toBe(`/departments/${market.id}/did.json`)
    expect(document.id).toBe(did)
    expect(document.verificationMethod).toHaveLength(1)
    expect(document.verificationMethod![0]).toMatchObject({
      type: 'JsonWebKey2020',
      controller: did,
      publicKeyJwk: { kty: 'OKP', crv: 'Ed25519' },
    })
    expect(document.assertionMethod).toEqual([document.verificationMethod![0]!.id])
    expect(JSON.stringify(document)).not.toMatch(/"d"/) // no private part of the JWK
    expect(
      (await inject('GET', '/departments/7d1f7f6e-0000-4000-8000-00000000dead/did.json')).statusCode,
    ).toBe(404)
    expect((await inject('GET', '/departments/not-a-uuid/did.json')).statusCode).toBe(400)
  })

  it('exports a VC-JWT that an independent library verifies offline against the did:web document', async () => {
    const exported = await exportCredential()
    expect(exported.issuer).toBe(`did:web:tongban.example.gov.cn%3A8443:departments:${market.id}`)
    expect(exported.expiresAt).toBeNull() // 营业执照: 长期有效
    firstCredential = exported.jwt
    firstDocument = await fetchDidDocument(exported.issuer)
    const verified = await verifyCredential(exported.jwt, offlineResolver([firstDocument]), verifyOptions())
    expect(verified.verified).toBe(true)
    expect(verified.issuer).toBe(exported.issuer)
    expect(verified.signer.id).toBe(exported.verificationMethod)
    expect(signedWithinKeyPeriod(verified)).toBe(true)
    const credential = verified.verifiableCredential
    expect(credential.type).toEqual(['VerifiableCredential', 'ElectronicLicenseCredential'])
    expect(credential.credentialSubject).toMatchObject({
      name: '杭州西湖凭证科技有限公司',
      identifier: companyUscc,
      license: {
        licenseId: licenseNo,
        licenseType: { code: '11100000000010014P001', name: '营业执照' },
        fields: { registeredCapital: 200 },
      },
    })
    // the SM2 signature travels along: the same document verifies with the published SM2 keys
    const { sm2Signature, ...document } = (
      credential.credentialSubject as { license: Record<string, unknown> }
    ).license as { sm2Signature: { value: string }; keyId: string }
    const keys: PublishedKey[] = (await inject('GET', '/api/v1/licenses/keys')).json().items
    const file = {
      document,
      signature: {
        algorithm: 'SM2-SM3',
        keyId: document.keyId,
        userId: '1234567812345678',
        value: sm2Signature.value,
      },
    } as unknown as SignedLicenseFile
    expect(verifyLicenseOffline(file, keys)).toMatchObject({ ok: true })
  })

  it('rejects a tampered credential and one from a document without the key', async () => {
    const [header, payload, signature] = firstCredential.split('.') as [string, string, string]
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
    claims.vc.credentialSubject.license.fields.registeredCapital = 20_000
    const tampered = [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.')
    await expect(
      verifyCredential(tampered, offlineResolver([firstDocument]), verifyOptions()),
    ).rejects.toThrow(/signature/i)
    const flipped = `${firstCredential.slice(0, -4)}${firstCredential.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`
    await expect(
      verifyCredential(flipped, offlineResolver([firstDocument]), verifyOptions()),
    ).rejects.toThrow()
    await expect(verifyCredential(firstCredential, offlineResolver([]), verifyOptions())).rejects.toThrow(
      /resolve|notFound/i,
    )
  })

  it('keeps credentials verifiable after rotation, and rejects one the old key signed after its period', async () => {
    const oldKey = await server.platform.db
      .selectFrom('license_signing_keys')
      .select(['id', 'private_key_enc'])
      .where('department_id', '=', market.id)
      .where('algorithm', '=', 'Ed25519')
      .where('valid_until', 'is', null)
      .executeTakeFirstOrThrow()
    clock.advance(60_000)
    expect(
      (await inject('POST', `/api/v1/departments/${market.id}/license-keys/rotate`, 'security')).statusCode,
    ).toBe(201)
    const issuer = `did:web:tongban.example.gov.cn%3A8443:departments:${market.id}`
    const rotated = await fetchDidDocument(issuer)
    expect(rotated.verificationMethod).toHaveLength(2)
    const retired = rotated.verificationMethod!.find((m) => m.id === `${issuer}#${oldKey.id}`) as {
      expires?: string
    }
    expect(retired.expires).toBeDefined()

    // signed before the rotation: still genuine
    const before = await verifyCredential(firstCredential, offlineResolver([rotated]), verifyOptions())
    expect(signedWithinKeyPeriod(before)).toBe(true)

    // new exports use the new key
    const fresh = await exportCredential()
    expect(fresh.verificationMethod).not.toContain(oldKey.id)
    const verifiedFresh = await verifyCredential(fresh.jwt, offlineResolver([rotated]), verifyOptions())
    expect(signedWithinKeyPeriod(verifiedFresh)).toBe(true)

    // a thief with the old private key signs a credential dated after the key's period
    clock.set(new Date(Date.parse(retired.expires!) + 5_000))
    const stolen = createPrivateKey({
      key: Buffer.from(server.platform.vault.decrypt(oldKey.private_key_enc), 'base64'),
      format: 'der',
      type: 'pkcs8',
    })
    const claims = JSON.parse(Buffer.from(firstCredential.split('.')[1]!, 'base64url').toString('utf8'))
    const now = Math.floor(clock.now().getTime() / 1000)
    const forged = await new SignJWT({ ...claims, nbf: now, iat: now })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid: `${issuer}#${oldKey.id}` })
      .sign(stolen)
    const late = await verifyCredential(forged, offlineResolver([rotated]), verifyOptions())
    expect(late.signer.id).toBe(`${issuer}#${oldKey.id}`) // the signature itself is the old key's
    expect(signedWithinKeyPeriod(late)).toBe(false) // …made after its period: not genuine
  })

  it('exports only the holder’s own, valid licenses', async () => {
    expect((await inject('GET', `/api/v1/me/licenses/${licenseId}/credential`, 'citizen')).statusCode).toBe(
      404,
    )
    expect((await inject('GET', `/api/v1/me/licenses/${licenseId}/credential`)).statusCode).toBe(401)
    expect((await inject('GET', `/api/v1/me/licenses/${licenseId}/credential`, 'approver')).statusCode).toBe(
      403,
    )
    const audit = await server.platform.audit.list({ action: 'license.export-credential', limit: 5 })
    expect(audit[0]).toMatchObject({ actorId: 'p-1', resourceId: licenseId })
    await inject('POST', `/api/v1/licenses/${licenseId}/status`, 'approver', {
      action: 'suspend',
      reason: '核查期间暂停使用',
    })
    const suspended = await inject('GET', `/api/v1/me/licenses/${licenseId}/credential`, 'agent')
    expect(suspended.statusCode).toBe(409)
    expect(suspended.json().titles).toMatchObject({ zh: expect.any(String), en: expect.any(String) })
    await inject('POST', `/api/v1/licenses/${licenseId}/status`, 'approver', {
      action: 'resume',
      reason: '核查完毕恢复',
    })
  })
})

/** The URI of the first link annotation on a page, and the embedded files of a PDF by name. */
function linkUri(pdf: PDFDocument): string {
  const annots = pdf.getPage(0).node.lookup(PDFName.of('Annots'), PDFArray)
  const link = annots.lookup(0, PDFDict)
  const action = link.lookup(PDFName.of('A'), PDFDict)
  return (action.lookup(PDFName.of('URI')) as PDFString | PDFHexString).decodeText()
}

function attachment(pdf: PDFDocument, name: string): string {
  const names = pdf.catalog.lookup(PDFName.of('Names'), PDFDict)
  const files = names.lookup(PDFName.of('EmbeddedFiles'), PDFDict).lookup(PDFName.of('Names'), PDFArray)
  for (let i = 0; i < files.size(); i += 2) {
    if ((files.lookup(i) as PDFString | PDFHexString).decodeText() !== name) continue
    const spec = files.lookup(i + 1, PDFDict)
    const stream = spec.lookup(PDFName.of('EF'), PDFDict).lookup(PDFName.of('F')) as PDFRawStream
    return new TextDecoder().decode(decodePDFRawStream(stream).decode())
  }
  throw new Error(`no attachment ${name}`)
}

describe('PDF download', () => {
  it('renders a valid PDF with the identifier, the signed file and a working single-use QR link', async () => {
    const response = await inject('GET', `/api/v1/me/licenses/${licenseId}/pdf`, 'agent')
    expect(
      response.statusCode,
      `${response.body.slice(0, 300)} — the PDF needs a CJK font: bash scripts/install-browser.sh installs fonts-noto-cjk`,
    ).toBe(200)
    expect(response.headers['content-type']).toBe('application/pdf')
    expect(response.headers['content-disposition']).toContain(`license-${licenseNo}.pdf`)
    const bytes = response.rawPayload
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-')
    const pdf = await PDFDocument.load(bytes)
    expect(pdf.getPageCount()).toBeGreaterThanOrEqual(1)
    expect(pdf.getTitle()).toBe(`营业执照 ${licenseNo}`)
    expect(pdf.getKeywords()).toContain(licenseNo)
    expect(pdf.getPage(0).getSize().width).toBeCloseTo(595.28)
    // a subset of the CJK font is embedded, not the whole 20 MB collection
    const descriptors = pdf.context
      .enumerateIndirectObjects()
      .map(([, object]) => object)
      .filter(
        (o): o is PDFDict =>
          o instanceof PDFDict && o.get(PDFName.of('Type')) === PDFName.of('FontDescriptor'),
      )
    expect(descriptors.some((d) => d.has(PDFName.of('FontFile3')))).toBe(true)
    expect(bytes.length).toBeLessThan(400_000)

    const signed = JSON.parse(attachment(pdf, 'license.signed.json')) as SignedLicenseFile
    expect(signed.document.licenseId).toBe(licenseNo)
    const keys: PublishedKey[] = (await inject('GET', '/api/v1/licenses/keys')).json().items
    expect(verifyLicenseOffline(signed, keys)).toMatchObject({ ok: true })
    // the command-line verifier takes the PDF itself
    const { main } = await import('../../../scripts/verify-license.ts')
    const fs = await import('node:fs/promises')
    const path = await import('node:path')
    const pdfFile = path.join(server.dataDir, 'license.pdf')
    const keysFile = path.join(server.dataDir, 'keys.json')
    await fs.writeFile(pdfFile, bytes)
    await fs.writeFile(keysFile, JSON.stringify({ items: keys }))
    expect(await main([pdfFile, keysFile])).toBe(0)
    await fs.writeFile(pdfFile, bytes.subarray(0, 2000))
    expect(await main([pdfFile, keysFile])).toBe(2)

    const url = new URL(linkUri(pdf))
    expect(`${url.origin}${url.pathname}`).toBe(`${PUBLIC_URL}/verify/license`)
    const token = url.searchParams.get('t')!
    const verified = await inject('GET', `/api/v1/licenses/verify?token=${encodeURIComponent(token)}`)
    expect(verified.json()).toMatchObject({ genuine: true, status: 'valid', licenseNo })
    expect(
      (await inject('GET', `/api/v1/licenses/verify?token=${encodeURIComponent(token)}`)).statusCode,
    ).toBe(409)
  })

  it('is the holder’s only', async () => {
    expect((await inject('GET', `/api/v1/me/licenses/${licenseId}/pdf`, 'citizen')).statusCode).toBe(404)
    expect((await inject('GET', `/api/v1/me/licenses/${licenseId}/pdf`)).statusCode).toBe(401)
  })

  it('answers a clear 503 when no CJK font is installed, and keeps serving', async () => {
    const bare = await startServer([{ path: '/nonexistent/fonts/NotoSansCJK-Regular.ttc' }])
    try {
      const response = await bare.started.app.inject({
        url: `/api/v1/me/licenses/${bare.license.id}/pdf`,
        headers: bare.headers('agent'),
      })
      expect(response.statusCode).toBe(503)
      expect(response.headers['content-type']).toContain('application/problem+json')
      const problem = response.json()
      expect(problem.detail).toContain('fonts-noto-cjk')
      expect(problem.details).toEqual({
        zh: expect.stringContaining('中文字体'),
        en: expect.stringContaining('No CJK font'),
      })
      const again = await bare.started.app.inject({
        url: `/api/v1/me/licenses/${bare.license.id}`,
        headers: bare.headers('agent'),
      })
      expect(again.statusCode).toBe(200)
    } finally {
      await bare.started.close()
    }
  })
})
