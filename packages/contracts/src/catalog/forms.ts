import { type Static, Type } from 'typebox'
import { LocalizedText } from '../common/problem.ts'

/** Display hints of one form field. */
export const FieldHint = Type.Object(
  {
    label: LocalizedText,
    help: Type.Optional(LocalizedText),
    widget: Type.Optional(Type.String({ maxLength: 30 })),
    showIf: Type.Optional(
      Type.Object(
        {
          field: Type.String({ maxLength: 60 }),
          equals: Type.Union([Type.String(), Type.Number(), Type.Boolean()]),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
)

/**
 * A declarative application form: a JSON Schema (draft-07) of the application data, display hints, and
 * prefill declarations (field key → source such as `profile.name`, later `shared:*`, `license:*`).
 * `showIf` only hides fields; conditional requirements belong in the schema (`if`/`then`).
 */
export const FormDocument = Type.Object(
  {
    schema: Type.Record(Type.String(), Type.Unknown(), {
      description: 'JSON Schema draft-07 of the application data',
    }),
    ui: Type.Object(
      {
        sections: Type.Array(
          Type.Object(
            {
              key: Type.String({ maxLength: 40 }),
              title: LocalizedText,
              fields: Type.Array(Type.String({ maxLength: 60 }), { maxItems: 100 }),
            },
            { additionalProperties: false },
          ),
          { maxItems: 30 },
        ),
        fields: Type.Record(Type.String(), FieldHint),
      },
      { additionalProperties: false },
    ),
    prefill: Type.Record(Type.String(), Type.String({ maxLength: 80 })),
  },
  { additionalProperties: false },
)
export type FormDocument = Static<typeof FormDocument>
