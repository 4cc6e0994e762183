import { useCallback, useEffect, useState } from 'react'
import { type ApiRequest, apiFetch } from './client.ts'

/** State of a GET request driven by a component. */
export interface ApiQuery<T> {
  data: T | undefined
  error: unknown
  loading: boolean
  reload: () => void
}

/** Loads `path` (null: do nothing yet) and re-loads when the path or query changes. */
export function useApiQuery<T>(path: string | null, query?: ApiRequest['query']): ApiQuery<T> {
  const [data, setData] = useState<T>()
  const [error, setError] = useState<unknown>()
  const [loading, setLoading] = useState(path !== null)
  const [attempt, setAttempt] = useState(0)
  const queryKey = JSON.stringify(query ?? {})

  // biome-ignore lint/correctness/useExhaustiveDependencies: reload() bumps attempt to run the request again
  useEffect(() => {
    if (path === null) return
    const controller = new AbortController()
    setLoading(true)
    setError(undefined)
    apiFetch<T>(path, { query: JSON.parse(queryKey), signal: controller.signal }).then(
      (result) => {
        setData(result)
        setLoading(false)
      },
      (failure: unknown) => {
        if (controller.signal.aborted) return
        setError(failure)
        setLoading(false)
      },
    )
    return () => controller.abort()
  }, [path, queryKey, attempt])

  const reload = useCallback(() => setAttempt((n) => n + 1), [])
  return { data, error, loading, reload }
}
