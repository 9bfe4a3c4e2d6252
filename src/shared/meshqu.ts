import { z } from 'zod'
import { ScopeSchema } from './scopes'

/**
 * MeshQu entities exactly as they travel on the wire (snake_case), so one schema serves the
 * client, the sandbox and the UI. z.object strips unknown fields: clients must ignore them [DOC].
 */
const IsoDateTime = z.iso.datetime({ offset: true })

/**
 * Bounds on what a server sends, applied as it enters KeyDesk: a name, preview or actor id is
 * cut to these (and made well-formed: SQLite would store a lone surrogate as U+FFFD), so no
 * text a server chose can make a reply too long to send or a journal entry unlike its hash.
 */
export const SERVER_NAME_MAX = 256
export const SERVER_PREVIEW_MAX = 64
export const SERVER_ID_MAX = 128

/** Well-formed, and at most `max` UTF-16 units, ending in "…" when cut (never inside a pair). */
export function clipText(s: string, max: number): string {
  const clean = s.toWellFormed()
  if (clean.length <= max) return clean
  return `${clean
    .slice(0, max - 1)
    .toWellFormed()
    .replace(/\uFFFD$/, '')}…`
}
const Clipped = (max: number) => z.string().transform((s) => clipText(s, max))

/** A key's name as the renderer sends it back (for the journal's words): any listed name fits. */
export const KeyNameEchoSchema = z
  .string()
  .max(4 * SERVER_NAME_MAX)
  .transform((s) => clipText(s, SERVER_NAME_MAX))

export const ApiKeySchema = z.object({
  // An id is a path segment of every write: one KeyDesk cannot send back safely is refused
  // (the list that carried it says so), never cut or cleaned.
  id: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[A-Za-z0-9_-]+$/),
  tenant_id: Clipped(SERVER_ID_MAX).pipe(z.string().min(1)),
  name: Clipped(SERVER_NAME_MAX),
  key_preview: Clipped(SERVER_PREVIEW_MAX),
  // Any string: a scope MeshQu adds later must not make a whole list unreadable [DOC: ignore unknowns].
  scopes: z.array(Clipped(SERVER_ID_MAX)).max(256),
  // Some servers omit a null field instead of sending `null`: read a missing one as null.
  expires_at: IsoDateTime.nullable().default(null),
  last_used_at: IsoDateTime.nullable().default(null),
  is_active: z.boolean(),
  created_at: IsoDateTime,
  created_by: Clipped(SERVER_ID_MAX).nullable().default(null),
  revoked_at: IsoDateTime.nullable().default(null),
  revoked_by: Clipped(SERVER_ID_MAX).nullable().default(null)
})
export type ApiKey = z.infer<typeof ApiKeySchema>

/**
 * A key id as KeyDesk accepts it from the renderer. MeshQu ids are UUIDs; `key_`-style tokens of
 * letters, digits, `_` and `-` are accepted too. Anything else (".", "..", "a/b", %-escapes, 5,000
 * characters) is refused before it can become a path segment such as `DELETE /v1/api-keys/..`,
 * which URL resolution turns into `DELETE /v1/` with the admin key attached.
 */
export const KEY_ID_MAX = 128
export const KeyIdSchema = z
  .string()
  .max(KEY_ID_MAX, `A key id has at most ${KEY_ID_MAX} characters`)
  .regex(/^[A-Za-z0-9_-]+$/, 'A key id is a UUID or a token of letters, digits, "_" and "-"')

export const KEY_STATUS_FILTERS = ['active', 'revoked', 'expired', 'all'] as const
export const KeyStatusFilterSchema = z.enum(KEY_STATUS_FILTERS)
export type KeyStatusFilter = z.infer<typeof KeyStatusFilterSchema>

/** [ASSUMED] list pagination, kept in this one schema so a change in MeshQu is one edit. */
export const PaginationSchema = z.object({
  total: z.number().int().nonnegative(),
  limit: z.number().int().positive(),
  offset: z.number().int().nonnegative(),
  has_more: z.boolean()
})
export type Pagination = z.infer<typeof PaginationSchema>

export const KEY_NAME_MAX = 100
/** [ASSUMED] create-key validation, mirrored by the sandbox and the create dialog. */
export const KeyNameSchema = z
  .string()
  // Bounded before trimming too, so a huge string is refused without copying it.
  .max(10 * KEY_NAME_MAX, `Name must be at most ${KEY_NAME_MAX} characters`)
  .transform((s) => s.trim())
  .pipe(z.string().min(1, 'Name is required').max(KEY_NAME_MAX, `Name must be at most ${KEY_NAME_MAX} characters`))

export const CreateKeyBodySchema = z.object({
  name: KeyNameSchema,
  scopes: z
    .array(ScopeSchema)
    .min(1, 'Choose at least one scope')
    .refine((s) => new Set(s).size === s.length, 'Scopes must not repeat'),
  expires_at: IsoDateTime.nullable().optional()
})
export type CreateKeyBody = z.infer<typeof CreateKeyBodySchema>

export const AuditEventSchema = z.object({
  id: Clipped(SERVER_ID_MAX),
  tenant_id: Clipped(SERVER_ID_MAX),
  action: Clipped(SERVER_ID_MAX),
  actor_key_id: Clipped(SERVER_ID_MAX).nullable(),
  actor_key_name: Clipped(SERVER_NAME_MAX).nullable(),
  target_id: Clipped(SERVER_ID_MAX).nullable(),
  created_at: IsoDateTime,
  details: z.record(z.string(), z.unknown()).nullable().optional()
})
export type AuditEvent = z.infer<typeof AuditEventSchema>

export const HealthSchema = z.object({
  status: z.string(),
  timestamp: z.string().optional(),
  version: z.string().optional()
})
export type Health = z.infer<typeof HealthSchema>

/** Response bodies [DOC] / [ASSUMED] as API.md marks them. */
export const KeyEnvelopeSchema = z.object({ key: ApiKeySchema })
export const CreatedKeySchema = z.object({ key: ApiKeySchema, plaintext_key: z.string().min(1) })
/**
 * A page of keys. A key that breaks ApiKeySchema (an id KeyDesk cannot send back, a missing
 * field) is left out and counted in `unusable`, so one odd key does not make a tenant unlistable;
 * the listing says it is incomplete.
 */
export const KeyPageSchema = z.object({ data: z.array(z.unknown()).max(10_000), pagination: PaginationSchema }).transform(({ data, pagination }) => {
  const keys: ApiKey[] = []
  for (const item of data) {
    const parsed = ApiKeySchema.safeParse(item)
    if (parsed.success) keys.push(parsed.data)
  }
  return { data: keys, pagination, unusable: data.length - keys.length }
})
export const AuditPageSchema = z.object({ data: z.array(AuditEventSchema), pagination: PaginationSchema })

export const MeshquErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string().optional(),
    details: z.unknown().optional()
  }),
  correlation_id: z.string().optional()
})
export type MeshquErrorBody = z.infer<typeof MeshquErrorBodySchema>
