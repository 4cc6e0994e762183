import { lazy } from 'react'

/** The 404 page, loaded only when needed (AntD Result with its illustrations is heavy). */
export const NotFound = lazy(() => import('./not-found.tsx'))
