// Everything except the SM2/SM3/SM4 wrappers (which need Node's crypto): safe for the browser bundle.
export * from './id-number.ts'
export * from './numbering.ts'
export * from './regions.ts'
export * from './result.ts'
export * from './testing.ts'
export * from './uscc.ts'
export * from './working-days.ts'
