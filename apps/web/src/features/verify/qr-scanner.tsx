import { Alert, Button } from 'antd'
import { useEffect, useRef, useState } from 'react'
import { useT } from '../../app/preferences.tsx'
import type { MessageKey } from '../../i18n/i18n.ts'
import { type CameraProblem, cameraProblemOf, frameSize, loadQrDecoder, type QrDecoder } from './qr-frames.ts'

/** The part of the Barcode Detection API the scanner uses (not in TypeScript's DOM library yet). */
interface DetectedBarcode {
  rawValue: string
}
interface BarcodeDetectorInstance {
  detect(source: HTMLVideoElement): Promise<DetectedBarcode[]>
}
interface BarcodeDetectorClass {
  new (options: { formats: string[] }): BarcodeDetectorInstance
  getSupportedFormats(): Promise<string[]>
}

/** Looks at the video's current frame: the QR code's text, or undefined when there is none. */
type FrameReader = (video: HTMLVideoElement) => Promise<string | undefined>

function detectorClass(): BarcodeDetectorClass | undefined {
  return (globalThis as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector
}

/** The browser's own detector when it reads QR codes (Chrome on Android, macOS and ChromeOS). */
async function nativeReader(): Promise<FrameReader | undefined> {
  const Detector = detectorClass()
  if (!Detector) return undefined
  try {
    if (!(await Detector.getSupportedFormats()).includes('qr_code')) return undefined
  } catch {
    return undefined
  }
  const detector = new Detector({ formats: ['qr_code'] })
  return async (video) => (await detector.detect(video)).find((code) => code.rawValue)?.rawValue
}

/** Draws the frame to a canvas at a modest size and decodes its pixels in JavaScript. */
function canvasReader(decode: QrDecoder): FrameReader {
  const canvas = document.createElement('canvas')
  const context = canvas.getContext('2d', { willReadFrequently: true })
  return async (video) => {
    const size = frameSize(video.videoWidth, video.videoHeight)
    if (!context || !size) return undefined
    if (canvas.width !== size.width || canvas.height !== size.height) {
      canvas.width = size.width
      canvas.height = size.height
    }
    context.drawImage(video, 0, 0, size.width, size.height)
    return decode(context.getImageData(0, 0, size.width, size.height))
  }
}

/** The native detector where there is one, else the JavaScript decoder (desktop Linux Chromium, Firefox). */
async function openFrameReader(): Promise<FrameReader> {
  return (await nativeReader()) ?? canvasReader(await loadQrDecoder())
}

/**
 * Whether this browser can scan QR codes with the camera: wherever it has a camera API (not on pages
 * served over plain HTTP, where browsers hide it), since frames are decoded in JavaScript when the
 * browser cannot decode them itself.
 */
export async function canScanQr(): Promise<boolean> {
  return typeof navigator !== 'undefined' && typeof navigator.mediaDevices?.getUserMedia === 'function'
}

/** How often a video frame is looked at for a QR code. */
const SCAN_INTERVAL_MS = 250

const PROBLEM_MESSAGE: Record<CameraProblem, MessageKey> = {
  denied: 'verify.cameraDenied',
  noCamera: 'verify.cameraMissing',
  failed: 'verify.cameraFailed',
}

/**
 * The camera's picture with QR detection: calls `onCode` once with the first code seen, then stops the
 * camera. The camera is released when the scanner closes.
 */
export function QrScanner({ onCode, onClose }: { onCode: (text: string) => void; onClose: () => void }) {
  const t = useT()
  const video = useRef<HTMLVideoElement>(null)
  const [problem, setProblem] = useState<CameraProblem>()

  useEffect(() => {
    let stream: MediaStream | undefined
    let timer: number | undefined
    let stopped = false
    let reading = false
    const stop = () => {
      stopped = true
      if (timer !== undefined) window.clearInterval(timer)
      for (const track of stream?.getTracks() ?? []) track.stop()
    }
    const start = async () => {
      // The decoder loads while the browser asks for the camera.
      const reader = openFrameReader()
      reader.catch(() => undefined)
      stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: 'environment' },
        audio: false,
      })
      if (stopped || !video.current) return stop()
      video.current.srcObject = stream
      await video.current.play()
      const read = await reader
      if (stopped) return
      timer = window.setInterval(() => {
        const current = video.current
        if (stopped || reading || !current || current.readyState < 2) return
        reading = true
        read(current)
          .then((code) => {
            if (!code || stopped) return
            stop()
            onCode(code)
          })
          .catch(() => undefined)
          .finally(() => {
            reading = false
          })
      }, SCAN_INTERVAL_MS)
    }
    start().catch((error: unknown) => {
      if (!stopped) setProblem(cameraProblemOf(error))
      stop()
    })
    return stop
  }, [onCode])

  return (
    <div className="qr-scanner" data-testid="qr-scanner">
      {problem ? (
        <Alert type="warning" showIcon title={t(PROBLEM_MESSAGE[problem])} role="alert" />
      ) : (
        <video
          ref={video}
          className="qr-scanner-video"
          muted
          playsInline
          aria-label={t('verify.cameraLabel')}
        />
      )}
      <Button onClick={onClose}>{t('verify.stopScan')}</Button>
    </div>
  )
}
