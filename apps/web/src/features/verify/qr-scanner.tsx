import { Alert, Button } from 'antd'
import { useEffect, useRef, useState } from 'react'
import { useT } from '../../app/preferences.tsx'

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

function detectorClass(): BarcodeDetectorClass | undefined {
  return (globalThis as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector
}

/** Whether this browser can scan QR codes with the camera (BarcodeDetector with qr_code, and a camera API). */
export async function canScanQr(): Promise<boolean> {
  const Detector = detectorClass()
  if (!Detector || !navigator.mediaDevices?.getUserMedia) return false
  try {
    return (await Detector.getSupportedFormats()).includes('qr_code')
  } catch {
    return false
  }
}

/** How often a video frame is looked at for a QR code. */
const SCAN_INTERVAL_MS = 250

/**
 * The camera's picture with QR detection: calls `onCode` once with the first code seen, then stops the
 * camera. The camera is released when the scanner closes.
 */
export function QrScanner({ onCode, onClose }: { onCode: (text: string) => void; onClose: () => void }) {
  const t = useT()
  const video = useRef<HTMLVideoElement>(null)
  const [failed, setFailed] = useState(false)

  useEffect(() => {
    const Detector = detectorClass()
    if (!Detector) {
      setFailed(true)
      return
    }
    let stream: MediaStream | undefined
    let timer: number | undefined
    let stopped = false
    const detector = new Detector({ formats: ['qr_code'] })
    const stop = () => {
      stopped = true
      if (timer !== undefined) window.clearInterval(timer)
      for (const track of stream?.getTracks() ?? []) track.stop()
    }
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' }, audio: false })
      .then(async (media) => {
        stream = media
        if (stopped || !video.current) return stop()
        video.current.srcObject = media
        await video.current.play()
        timer = window.setInterval(() => {
          if (stopped || !video.current || video.current.readyState < 2) return
          detector
            .detect(video.current)
            .then((codes) => {
              const code = codes.find((c) => c.rawValue)?.rawValue
              if (code && !stopped) {
                stop()
                onCode(code)
              }
            })
            .catch(() => undefined)
        }, SCAN_INTERVAL_MS)
      })
      .catch(() => setFailed(true))
    return stop
  }, [onCode])

  return (
    <div className="qr-scanner">
      {failed ? (
        <Alert type="warning" showIcon title={t('verify.cameraFailed')} role="alert" />
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
