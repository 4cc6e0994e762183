import { type Browser, chromium } from 'playwright-core'

/** Debian's chromium, installed by scripts/install-browser.sh (never a Playwright browser download). */
export const CHROMIUM_PATH = '/usr/bin/chromium'

/** Launches headless chromium for the browser tests, with `extraArgs` (a fake camera, say) after the usual flags. */
export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  })
}
