import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import type { Clock } from './clock.ts'

/** A channel a notification travels by. */
export type NotificationChannel = 'sms' | 'email'

/** One message to one recipient: a template name and its parameters, worded by the provider. */
export interface Notification {
  channel: NotificationChannel
  /** Phone number or e-mail address, in clear: providers need it, so never log a Notification. */
  to: string
  template: string
  params: Record<string, string>
}

/** 消息通知: sends SMS and e-mail through whatever provider the installation has. */
export interface Notifier {
  send(notification: Notification): Promise<void>
}

/**
 * Development and test provider: appends each notification as one JSON line to a file
 * (DATA_DIR/notifications.log), where a developer reads the codes a real provider would have sent.
 */
export class LocalFileNotifier implements Notifier {
  constructor(
    private readonly file: string,
    private readonly clock: Clock,
  ) {}

  private stream: WriteStream | undefined

  /** Appends the line through one stream kept open (lines written together go out in one write). */
  send(notification: Notification): Promise<void> {
    const line = `${JSON.stringify({ sentAt: this.clock.now().toISOString(), ...notification })}\n`
    return new Promise((resolve, reject) => {
      this.output().write(line, (error) => (error ? reject(error) : resolve()))
    })
  }

  private output(): WriteStream {
    if (!this.stream) {
      mkdirSync(path.dirname(this.file), { recursive: true })
      const stream = createWriteStream(this.file, { flags: 'a', mode: 0o600 })
      // a failed stream is dropped: the next notification opens the file again
      stream.on('error', () => {
        if (this.stream === stream) this.stream = undefined
      })
      this.stream = stream
    }
    return this.stream
  }

  /** Every notification sent so far, oldest first (tests and the developer's console). */
  async sent(): Promise<(Notification & { sentAt: string })[]> {
    try {
      const text = await fs.readFile(this.file, 'utf8')
      return text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Notification & { sentAt: string })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw error
    }
  }
}

/** The notifier of a data directory: the local file provider (the only one so far). */
export function localNotifier(dataDir: string, clock: Clock): LocalFileNotifier {
  return new LocalFileNotifier(path.join(dataDir, 'notifications.log'), clock)
}
