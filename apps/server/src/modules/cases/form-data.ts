import type { PersonalDataVault } from '../../platform/crypto.ts'
import type { CasesContext } from './cases.context.ts'

/** Form data as stored: SM4-encrypted JSON, as it holds personal identifiers (ID numbers, phones). */
export function encryptFormData(vault: PersonalDataVault, data: Record<string, unknown>): string {
  return vault.encrypt(JSON.stringify(data))
}

/**
 * The form data of a case or draft in clear (a row from before encryption as it is). Only for whoever
 * may see the case: its applicant, staff of its departments, and modules acting on their behalf.
 */
export function formDataOf(
  vault: PersonalDataVault,
  row: { form_data: unknown; form_data_enc: string | null },
): Record<string, unknown> {
  if (row.form_data_enc) return JSON.parse(vault.decrypt(row.form_data_enc))
  return (row.form_data ?? {}) as Record<string, unknown>
}

/**
 * Encrypts the form data of cases and drafts stored in plaintext before form data was encrypted, in
 * batches (rows another node is encrypting are skipped); run when a node starts. The number encrypted.
 */
export async function encryptPlaintextFormData(ctx: CasesContext, batch = 500): Promise<number> {
  const { cases } = ctx.repositories
  let total = 0
  for (const table of ['cases', 'case_drafts'] as const) {
    for (;;) {
      const done = await ctx.platform.db.transaction().execute(async (trx) => {
        const rows = await cases.findPlaintextFormData(trx, table, batch)
        for (const row of rows)
          await cases.storeEncryptedFormData(
            trx,
            table,
            row.id,
            encryptFormData(ctx.platform.vault, (row.form_data ?? {}) as Record<string, unknown>),
          )
        return rows.length
      })
      total += done
      if (done < batch) break
    }
  }
  return total
}
