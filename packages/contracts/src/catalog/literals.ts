import { Type } from 'typebox'

/** One of a list of codes: a union of literals in the schema, the union of the codes as its type. */
export const literals = <const T extends string>(values: readonly T[], description: string) =>
  Type.Unsafe<T>(
    Type.Union(
      values.map((v) => Type.Literal(v)),
      { description },
    ),
  )
