/// <reference lib="dom" />
// Steps shared by the browser journeys: screenshots, test files to upload, a staff member's moves.
import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import { type BrowserApp, open } from './support.ts'

const SCREENSHOTS = fileURLToPath(new URL('../docs/screenshots/', import.meta.url))

/** Saves a full-page screenshot under docs/screenshots/ once the page has settled. */
export async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  await page.waitForLoadState('networkidle')
  await page.waitForTimeout(400)
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true })
}

/** A small, valid-looking PDF of about `kb` kilobytes (the server checks the file's type by its bytes). */
export function pdfFile(name: string, kb = 8): { name: string; mimeType: string; buffer: Buffer } {
  const head = '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n'
  const padding = `%${'x'.repeat(Math.max(0, kb * 1024 - head.length - 20))}\n`
  return { name, mimeType: 'application/pdf', buffer: Buffer.from(`${head}${padding}%%EOF\n`) }
}

const MOVE_NAMES: Record<string, string> = {
  accept: '受理',
  review: '审查通过',
  approve: '批准',
  complete: '办结',
  requestCorrection: '一次性告知补正',
}

/** A staff member at the workbench: claims the case's task in the queue and makes one or more moves. */
export async function workCase(
  app: BrowserApp,
  page: Page,
  caseNo: string,
  moves: string[],
  shots?: { queue?: string; case?: string },
  /** The time-limit colours (green / yellow / red, or none before acceptance) the queue may show. */
  levels?: string[],
) {
  await open(page, app.url('/work'))
  const row = page.locator('.task-table tr', { hasText: caseNo })
  await row.first().waitFor()
  if (shots?.queue) await shoot(page, shots.queue)
  if (levels) {
    const shown = await row.first().getByTestId('task-limit').getAttribute('data-level')
    if (!shown || !levels.includes(shown))
      throw new Error(`time limit of ${caseNo}: ${shown}, expected one of ${levels.join(', ')}`)
  }
  await row.first().getByRole('button', { name: '签收' }).click()
  await page.waitForURL(/\/work\/cases\//)
  await page.getByRole('heading', { level: 1, name: `办件 ${caseNo}` }).waitFor()
  for (const move of moves) {
    await page.getByTestId(`move-${move}`).click()
    await page.locator('.move-form button[type="submit"]').click()
    await page.locator('.apply-notice', { hasText: `已${MOVE_NAMES[move]}` }).waitFor()
  }
  if (shots?.case) await shoot(page, shots.case)
}
