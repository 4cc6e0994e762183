import {
  ApiProblem,
  acceptLanguage,
  accessToken,
  apiUrl,
  clientProblem,
  reportUnauthorized,
  toProblem,
} from './client.ts'

/**
 * Downloads an API resource that needs the bearer token (a plain link cannot send it): fetches it,
 * then saves it under `fileName` through an object URL. Throws ApiProblem like apiFetch.
 */
export async function downloadFile(path: string, fileName: string): Promise<void> {
  const headers = new Headers({ 'Accept-Language': acceptLanguage() })
  const token = await accessToken()
  if (token) headers.set('Authorization', `Bearer ${token}`)
  let response: Response
  try {
    response = await fetch(apiUrl(path), { headers, credentials: 'same-origin' })
  } catch {
    throw new ApiProblem(clientProblem(0, 'network', 'error.network'))
  }
  if (!response.ok) {
    if (response.status === 401) reportUnauthorized()
    throw new ApiProblem(toProblem(response.status, await response.json().catch(() => undefined)))
  }
  const url = URL.createObjectURL(await response.blob())
  try {
    const link = document.createElement('a')
    link.href = url
    link.download = fileName
    document.body.append(link)
    link.click()
    link.remove()
  } finally {
    // Give the browser a moment to start the download before the URL is released.
    setTimeout(() => URL.revokeObjectURL(url), 10_000)
  }
}
