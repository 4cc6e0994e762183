import type { UploadView } from '@tongban/contracts'
import {
  ApiProblem,
  acceptLanguage,
  accessToken,
  apiUrl,
  clientProblem,
  reportUnauthorized,
  toProblem,
} from './client.ts'
import { endpoints } from './endpoints.ts'

/**
 * Uploads one material file (multipart field `file`) to the cases module, reporting progress from 0
 * to 100. XMLHttpRequest, because fetch() cannot report upload progress. Throws ApiProblem.
 */
export async function uploadMaterial(
  file: File,
  onProgress: (percent: number) => void,
  signal?: AbortSignal,
): Promise<UploadView> {
  const token = await accessToken()
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest()
    request.open('POST', apiUrl(endpoints.uploads))
    request.setRequestHeader('Accept', 'application/json, application/problem+json')
    request.setRequestHeader('Accept-Language', acceptLanguage())
    if (token) request.setRequestHeader('Authorization', `Bearer ${token}`)
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(Math.min(99, Math.round((event.loaded / event.total) * 100)))
    }
    request.onload = () => {
      let body: unknown
      try {
        body = JSON.parse(request.responseText)
      } catch {
        body = undefined
      }
      if (request.status >= 200 && request.status < 300 && body) {
        onProgress(100)
        resolve(body as UploadView)
        return
      }
      if (request.status === 401) reportUnauthorized()
      reject(new ApiProblem(toProblem(request.status, body)))
    }
    request.onerror = () => reject(new ApiProblem(clientProblem(0, 'network', 'error.network')))
    signal?.addEventListener('abort', () => request.abort())
    const data = new FormData()
    data.append('file', file, file.name)
    request.send(data)
  })
}
