/**
 * The pure parts of scanning a QR code from the camera: how large a frame to look at, what went wrong
 * with the camera, and the JavaScript decoder used where the browser has no BarcodeDetector.
 */

/** A frame's pixels as RGBA bytes, as a canvas's `getImageData` returns them. */
export interface FramePixels {
  data: Uint8ClampedArray
  width: number
  height: number
}

/** Reads the QR code in a frame: its text, or undefined when the frame shows none. */
export type QrDecoder = (frame: FramePixels) => string | undefined

/**
 * Longest side, in pixels, of the frame handed to the JavaScript decoder. A 亮证 code fills much of the
 * picture, so 640 pixels resolve its modules well while one decode stays within a few tens of
 * milliseconds on a phone; a 1080p camera frame would cost several times that on the main thread.
 */
export const FRAME_MAX_SIDE = 640

/** The size to draw a video frame at: scaled down to `maxSide` on its longer side, never up. */
export function frameSize(
  videoWidth: number,
  videoHeight: number,
  maxSide = FRAME_MAX_SIDE,
): { width: number; height: number } | undefined {
  if (!(videoWidth > 0 && videoHeight > 0)) return undefined
  const scale = Math.min(1, maxSide / Math.max(videoWidth, videoHeight))
  return {
    width: Math.max(1, Math.round(videoWidth * scale)),
    height: Math.max(1, Math.round(videoHeight * scale)),
  }
}

/** Why the camera could not be used: refused by the user or the site settings, absent, or otherwise. */
export type CameraProblem = 'denied' | 'noCamera' | 'failed'

/** The camera problem behind a failed `getUserMedia`, from the error's name (the DOM's own names). */
export function cameraProblemOf(error: unknown): CameraProblem {
  const name = typeof error === 'object' && error !== null && 'name' in error ? error.name : undefined
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
    case 'PermissionDeniedError':
      return 'denied'
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return 'noCamera'
    default:
      return 'failed'
  }
}

/**
 * Loads jsQR, a pure-JavaScript QR decoder, on first use only: the verifier's page stays small for
 * those who paste a code or whose browser decodes natively.
 */
export async function loadQrDecoder(): Promise<QrDecoder> {
  const { default: jsQR } = await import('jsqr')
  return (frame) =>
    // The wallet shows dark modules on a light background; trying inverted frames too would double
    // the work of every frame for codes Tongban never shows.
    jsQR(frame.data, frame.width, frame.height, { inversionAttempts: 'dontInvert' })?.data || undefined
}
