import type { FieldErrors, Path } from 'react-hook-form'
import { z } from 'zod'
import { CreateKeyBodySchema } from '../../../../shared/meshqu'
import type { Scope } from '../../../../shared/scopes'
import { useSchemaForm } from '../../lib/schema-form'
import { DEFAULT_EXPIRY, expiryFrom, type ExpiryPresetId } from './scope-presets'

const EXPIRY_PRESET_IDS = ['7d', '30d', '90d', '1y', 'date', 'never'] as const satisfies readonly ExpiryPresetId[]

/**
 * The expiry as the form holds it (a preset, or a date for "On a date"), turned into the
 * `expires_at` MeshQu takes and checked by the shared create-key schema's own rule.
 */
export const ExpiryChoiceSchema = z
  .object({ preset: z.enum(EXPIRY_PRESET_IDS), date: z.string() })
  .transform((v, ctx) => {
    const now = Date.now()
    const at = expiryFrom(v.preset, now, v.date)
    if (at === undefined) {
      ctx.addIssue({ code: 'custom', path: ['date'], message: 'Pick the expiry date.' })
      return z.NEVER
    }
    if (at !== null && Date.parse(at) <= now) {
      ctx.addIssue({ code: 'custom', path: ['date'], message: 'The expiry must be in the future.' })
      return z.NEVER
    }
    return at
  })
  .pipe(CreateKeyBodySchema.shape.expires_at.unwrap())

/** The create and rotate forms: the shared create-key body's name and scopes, plus the expiry choice. */
export const KeyFormSchema = z.object({
  name: CreateKeyBodySchema.shape.name,
  scopes: CreateKeyBodySchema.shape.scopes,
  expiry: ExpiryChoiceSchema
})
export type KeyFormValues = z.input<typeof KeyFormSchema>
export type KeyFormOutput = z.output<typeof KeyFormSchema>

/** A reply's field path ("key.name", "name", "key.scopes.0", "expires_at") → the form's field. */
export function keyFieldOf(path: string): Path<KeyFormValues> | null {
  const leaf = path.replace(/^key\./, '').split('.')[0]
  if (leaf === 'name' || leaf === 'scopes') return leaf
  if (leaf === 'expires_at') return 'expiry'
  return null
}

/**
 * The one form hook behind Create and Rotate: validation by the shared schema, server field errors
 * put on their fields. `fieldsShown` tells the error summary whether it may point at them.
 */
export function useKeyForm(defaults: { name: string; scopes: Scope[] }) {
  return useSchemaForm(KeyFormSchema, { name: defaults.name, scopes: defaults.scopes, expiry: { preset: DEFAULT_EXPIRY, date: '' } }, keyFieldOf)
}

/** The scopes' error: on the list (none chosen, repeats) or on one of its items (an unknown scope). */
export function scopesError(errors: FieldErrors<KeyFormValues>): string | undefined {
  const e = errors.scopes
  if (!e) return undefined
  if (e.message) return e.message
  if (e.root?.message) return e.root.message
  return Array.isArray(e) ? e.find((item) => item?.message)?.message : undefined
}
