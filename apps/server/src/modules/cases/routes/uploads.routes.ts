import multipart from '@fastify/multipart'
import { UploadView } from '@tongban/contracts'
import { authenticated, requireActor } from '../../../platform/authz.ts'
import { AppError } from '../../../platform/errors.ts'
import { safeFileName } from '../../../platform/files.ts'
import type { App } from '../../../platform/http.ts'
import { invalidField, messages } from '../cases.messages.ts'
import type { CasesService } from '../cases.service.ts'
import { tags } from './route-policies.ts'

const TRAVERSAL = /(^|[\\/])\.\.([\\/]|$)|[\\/]|^\./

/** Uploads of material files (multipart, in a scope of their own so that only this route parses it). */
export async function registerUploadRoutes(app: App, cases: CasesService): Promise<void> {
  await app.register(async (child) => {
    await child.register(multipart, {
      // keep the name as sent, so that a name with directories is refused rather than silently cut
      preservePath: true,
      limits: { fileSize: app.initialConfig.bodyLimit, files: 1, fields: 5, parts: 6 },
    })
    registerUpload(child as App, cases)
  })
}

/** Uploads one material file: streamed into the file store, its type judged from its content. */
function registerUpload(app: App, cases: CasesService): void {
  app.post(
    '/api/v1/uploads',
    {
      config: { policy: authenticated },
      schema: {
        tags,
        summary: 'Upload a material (multipart/form-data, one file: PDF, JPEG, PNG or WebP)',
        consumes: ['multipart/form-data'],
        response: { 201: UploadView },
      },
    },
    async (request, reply) => {
      if (!request.isMultipart()) throw new AppError('unsupported-media-type')
      const part = await request.file({ limits: { fileSize: cases.uploadLimit + 1, files: 1 } })
      if (!part) throw invalidField('/file', 'required', messages.noFile)
      const name = safeFileName(part.filename)
      if (!name || TRAVERSAL.test(part.filename) || name !== part.filename.normalize('NFC').trim()) {
        part.file.resume()
        throw invalidField('/file/name', 'file-name', messages.badFileName)
      }
      const stored = await cases.storeUpload(part.file, name, requireActor(request))
      return reply.code(201).send({ ...stored, name })
    },
  )
}
