// Public surface of @tongban/standards: pure functions of national standards.
export * from './crypto.ts'
export * from './pure.ts'
