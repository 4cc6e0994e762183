import QRCode from 'qrcode'
import { describe, expect, it } from 'vitest'
import { cameraProblemOf, type FramePixels, frameSize, loadQrDecoder } from './qr-frames.ts'

/** A camera-like frame: `text` as a QR code of 4-pixel modules on a light-grey background, off centre. */
function frameWith(text: string, width = 640, height = 480): FramePixels {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' })
  const data = new Uint8ClampedArray(width * height * 4).fill(220)
  const moduleSize = 4
  const left = 150
  const top = 90
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) {
      if (!modules.get(row, col)) continue
      for (let y = 0; y < moduleSize; y++) {
        for (let x = 0; x < moduleSize; x++) {
          const offset = ((top + row * moduleSize + y) * width + left + col * moduleSize + x) * 4
          data.fill(30, offset, offset + 3)
        }
      }
    }
  }
  return { data, width, height }
}

describe('frameSize', () => {
  it('scales a large camera frame down to 640 pixels on its longer side, keeping its shape', () => {
    expect(frameSize(1920, 1080)).toEqual({ width: 640, height: 360 })
    expect(frameSize(720, 1280)).toEqual({ width: 360, height: 640 })
  })

  it('keeps a small frame as it is, and has no size before the video has one', () => {
    expect(frameSize(640, 480)).toEqual({ width: 640, height: 480 })
    expect(frameSize(320, 240)).toEqual({ width: 320, height: 240 })
    expect(frameSize(0, 0)).toBeUndefined()
  })
})

describe('cameraProblemOf', () => {
  it('tells a refused permission from a missing camera from anything else', () => {
    expect(cameraProblemOf(new DOMException('Permission denied', 'NotAllowedError'))).toBe('denied')
    expect(cameraProblemOf(new DOMException('insecure', 'SecurityError'))).toBe('denied')
    expect(cameraProblemOf(new DOMException('Requested device not found', 'NotFoundError'))).toBe('noCamera')
    expect(cameraProblemOf(new DOMException('Could not start video source', 'NotReadableError'))).toBe(
      'failed',
    )
    expect(cameraProblemOf(new Error('chunk failed to load'))).toBe('failed')
    expect(cameraProblemOf(undefined)).toBe('failed')
  })
})

describe('the JavaScript QR decoder', () => {
  it('reads a verification link as the wallet shows it', async () => {
    const decode = await loadQrDecoder()
    const link = 'https://tongban.example/verify/license?t=1.c2Ft.bGljZW5zZS0xMjM.1767225600.9f8e7d6c5b4a'
    expect(decode(frameWith(link))).toBe(link)
  })

  it('finds nothing in a frame without a code', async () => {
    const decode = await loadQrDecoder()
    const blank = { data: new Uint8ClampedArray(320 * 240 * 4).fill(200), width: 320, height: 240 }
    expect(decode(blank)).toBeUndefined()
  })
})
