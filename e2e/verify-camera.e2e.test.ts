/// <reference lib="dom" />
// 扫码核验 with the camera in a browser without the Barcode Detection API: chromium's fake camera plays a
// video of a real 亮证 QR code, the verifier page decodes the frames in JavaScript and shows the verdict.
// A refused camera and a missing one each get a message saying so.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, BrowserContextOptions, Page } from 'playwright-core'
import QRCode from 'qrcode'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from './browser.ts'
import { shoot } from './journeys.ts'
import { DESKTOP, open, openLoggedIn, useBrowserApp } from './support.ts'

const app = useBrowserApp()

/** 王芳: holds a valid 居民身份证 (demo data). */
const HOLDER = { login: '13800000003' }

/**
 * A still video in YUV4MPEG2 (4:2:0), as chromium's fake camera plays it: `text` as a QR code, black
 * modules on white, centred with a quiet zone of 4 modules and whole-pixel modules. Chromium loops the
 * file, so a few identical frames make an endless picture.
 */
function qrVideo(text: string, { width = 640, height = 480, frames = 3 } = {}): Buffer {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' })
  const quietZone = 4
  const moduleSize = Math.floor(Math.min(width, height) / (modules.size + 2 * quietZone))
  if (moduleSize < 2) throw new Error(`a QR code of ${modules.size} modules does not fit ${width}×${height}`)
  const left = Math.floor((width - modules.size * moduleSize) / 2)
  const top = Math.floor((height - modules.size * moduleSize) / 2)
  // Y plane: video-range white (235) everywhere, black (16) where a module is dark
  const luma = Buffer.alloc(width * height, 235)
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) {
      if (!modules.get(row, col)) continue
      for (let y = 0; y < moduleSize; y++) {
        const start = (top + row * moduleSize + y) * width + left + col * moduleSize
        luma.fill(16, start, start + moduleSize)
      }
    }
  }
  // U and V planes at quarter size, neutral: no colour
  const chroma = Buffer.alloc(2 * (width / 2) * (height / 2), 128)
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma])
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`)
  return Buffer.concat([header, ...Array.from({ length: frames }, () => frame)])
}

/** What the wallet shows as the QR code of the holder's 居民身份证: its verification link. */
async function licenseQrLink(page: Page): Promise<string> {
  await openLoggedIn(page, app.url('/me/licenses'), HOLDER)
  await page.getByTestId('license-card').filter({ hasText: '居民身份证' }).getByRole('link').click()
  await page.getByRole('heading', { level: 1, name: '居民身份证' }).waitFor()
  await page.getByRole('button', { name: '出示二维码' }).click()
  await page.getByRole('img', { name: '居民身份证 核验二维码' }).waitFor()
  return page.getByTestId('qr-token').inputValue()
}

/** Opens the verifier without the Barcode Detection API, as on desktop Linux Chromium and Firefox. */
async function openVerifier(browser: Browser, options: BrowserContextOptions): Promise<Page> {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: DESKTOP, ...options })
  // This chromium has no BarcodeDetector today; removing it anyway keeps the test on the JavaScript
  // decoder if a later build gains one.
  await context.addInitScript(() => {
    delete (globalThis as { BarcodeDetector?: unknown }).BarcodeDetector
    // keep the camera's tracks, to see that the page stops them
    const tracks: MediaStreamTrack[] = []
    ;(globalThis as { cameraTracks?: MediaStreamTrack[] }).cameraTracks = tracks
    const devices = navigator.mediaDevices
    const getUserMedia = devices.getUserMedia.bind(devices)
    devices.getUserMedia = async (constraints) => {
      const stream = await getUserMedia(constraints)
      tracks.push(...stream.getTracks())
      return stream
    }
  })
  const page = await context.newPage()
  await open(page, app.url('/verify'))
  return page
}

describe('scanning a license QR code with the camera on /verify', () => {
  let videoDir: string | undefined
  let camera: Browser | undefined
  let link = ''

  // The fake camera plays a file named at launch, so the holder's code is fetched first.
  beforeAll(async () => {
    link = await licenseQrLink(await app.newPage())
    videoDir = await mkdtemp(join(tmpdir(), 'tongban-fake-camera-'))
    const video = join(videoDir, 'license-qr.y4m')
    await writeFile(video, qrVideo(link))
    // Without --use-fake-ui-for-media-stream, the camera is each context's permission to grant or not.
    camera = await launchBrowser([
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${video}`,
    ])
  })
  afterAll(async () => {
    await camera?.close()
    if (videoDir) await rm(videoDir, { recursive: true, force: true })
  })

  it('decodes the holder’s QR code from the camera in JavaScript and shows the verdict', async () => {
    const page = await openVerifier(camera!, { permissions: ['camera'] })
    await page.getByRole('button', { name: '扫码核验' }).click()
    await page.getByTestId('verdict').filter({ hasText: '证照真实有效' }).waitFor({ timeout: 10_000 })
    await expect(page.getByTestId('verdict-status').textContent()).resolves.toBe('有效')
    await page.getByTestId('disclosed-name').waitFor()
    // the scanned link fills the code field, and the scanner closed on the first code, stopping the camera
    await expect(page.getByLabel('二维码内容').inputValue()).resolves.toBe(link)
    await expect(page.getByTestId('qr-scanner').count()).resolves.toBe(0)
    const cameraStates = () =>
      page.evaluate(() =>
        ((globalThis as { cameraTracks?: MediaStreamTrack[] }).cameraTracks ?? []).map(
          (track) => track.readyState,
        ),
      )
    await expect(cameraStates()).resolves.toEqual(['ended'])
    await shoot(page, 'verify-camera')
  })

  it('says so when the camera permission is refused', async () => {
    const page = await openVerifier(camera!, {})
    await page.getByRole('button', { name: '扫码核验' }).click()
    await page.getByRole('alert').filter({ hasText: '摄像头权限被拒绝' }).waitFor({ timeout: 10_000 })
    await expect(page.locator('video').count()).resolves.toBe(0)
    // and in English
    await page.getByTestId('language-switch').click()
    await page.getByRole('alert').filter({ hasText: 'Camera access was denied' }).waitFor()
  })

  it('says so when there is no camera', async () => {
    // the tests' usual chromium has no fake camera, and the machine none of its own
    const page = await app.newPage({ permissions: ['camera'] })
    await open(page, app.url('/verify'))
    await page.getByRole('button', { name: '扫码核验' }).click()
    await page.getByRole('alert').filter({ hasText: '未找到可用的摄像头' }).waitFor({ timeout: 10_000 })
  })
})
