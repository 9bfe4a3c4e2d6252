import { z } from 'zod'
import { ApiKeySchema } from './meshqu'
import { KEY_STATUSES } from './key-view'
import { EnvironmentSchema, ProtectionLevelSchema } from './tenants'

/**
 * Leak triage, "Whose key is this?": what the renderer sends (text once, never kept) and what
 * main answers (masked keys only, never a plaintext). Shared by the contract, main and the
 * triage feature.
 */

/** Every MeshQu-looking key in a text: `mqu_live_`, `mqu_test_` or `mqk_`, then its secret part. */
export const KEY_PATTERN_SOURCE = '(?<![A-Za-z0-9_])(?:mqu_live_|mqu_test_|mqk_)[A-Za-z0-9]{16,256}(?![A-Za-z0-9_])'
/** A text that is one whole key and nothing else (Search all offers triage for it). */
export const looksLikeWholeKey = (text: string): boolean => new RegExp(`^${KEY_PATTERN_SOURCE}$`).test(text.trim())
/** Whether any MeshQu-looking key stands anywhere in the text (`KEY=mqu_live_…`, a key and a comma). */
export const holdsKey = (text: string): boolean => new RegExp(KEY_PATTERN_SOURCE).test(text)

/** Pasted text: a key or a log excerpt. 1 MB is far more than any excerpt worth pasting. */
export const TRIAGE_TEXT_MAX = 1_000_000
/** "Where it was found": the journal's reason is "leak: <where>". */
export const TRIAGE_WHERE_MAX = 200
/** At most this many keys are triaged from one text or scan; more are counted, not matched. */
export const TRIAGE_KEYS_MAX = 200

const Text = z.string().max(4096)
const Handle = z.string().min(1).max(128)

export const TriageScopeSchema = z.object({ scope: Text, privileged: z.boolean() })

/** One key a pasted key may be: its blast radius. */
export const TriageMatchSchema = z.object({
  /** exact: by the keyed fingerprint of a plaintext KeyDesk made, or the tenant's own admin key; possible: same preview. */
  kind: z.enum(['exact', 'possible']),
  tenant: z.object({ id: Handle, label: Text, environment: EnvironmentSchema, level: ProtectionLevelSchema }),
  /** Null when KeyDesk made the key but its tenant's list no longer has it. */
  key: z
    .object({
      id: Text,
      name: Text,
      preview: Text,
      status: z.enum(KEY_STATUSES),
      createdAt: Text,
      /** The id of the key that created it, and its name where the store knows it. */
      createdBy: Text.nullable(),
      createdByName: Text.nullable(),
      expiresAt: Text.nullable(),
      lastUsedAt: Text.nullable(),
      scopes: z.array(TriageScopeSchema)
    })
    .nullable(),
  keyId: Text,
  /** The pasted key is this tenant's own admin key (KeyDesk's): replace the admin key first. */
  adminKey: z.boolean()
})
export type TriageMatch = z.infer<typeof TriageMatchSchema>

/** One key found in the text. `ref` names it in later calls; the key itself stays in main. */
export const TriageFindingSchema = z.object({
  ref: Handle,
  /** `mqu_live_...x7Kf`: the only form of the key that ever leaves main. */
  masked: Text,
  /** exact: one key for certain; possible: `candidates` keys share its preview; unknown: no tenant holds it. */
  result: z.enum(['exact', 'possible', 'unknown']),
  matches: z.array(TriageMatchSchema).max(500),
  /** How many keys share its preview (possible); 1 for exact. */
  candidates: z.number().int(),
  /** A scan's first file holding it (relative to the chosen folder); null for pasted text. */
  foundIn: Text.nullable()
})
export type TriageFinding = z.infer<typeof TriageFindingSchema>

export const TriageSessionSchema = z.object({
  sessionId: Handle,
  findings: z.array(TriageFindingSchema).max(TRIAGE_KEYS_MAX),
  /** The text held no MeshQu-looking key at all: "not a MeshQu key". */
  notAKey: z.boolean(),
  /** Keys past TRIAGE_KEYS_MAX, counted only. */
  more: z.number().int(),
  /** Until when main keeps the pasted keys (for Check validity and Contain); then they are forgotten. */
  expiresAt: z.number()
})
export type TriageSession = z.infer<typeof TriageSessionSchema>

export const TriageStartSchema = z.object({ text: z.string().min(1).max(TRIAGE_TEXT_MAX) }).strict()
const SessionRef = z.object({ sessionId: Handle }).strict()
export const TriageKeyRefSchema = SessionRef.extend({ ref: Handle, tenant: Handle }).strict()

export const ValidityVerdictSchema = z.enum(['valid', 'rejected', 'unknown'])
export const ValiditySchema = z.object({
  verdict: ValidityVerdictSchema,
  /** What the answer proves (valid), or why it cannot tell (unknown). */
  sentence: Text,
  httpStatus: z.number().int().nullable(),
  correlationId: Text.nullable(),
  at: z.number()
})
export type Validity = z.infer<typeof ValiditySchema>

export const TriageContainInputSchema = TriageKeyRefSchema.extend({
  keyId: Text,
  where: z.string().trim().min(1, 'Say where the key was found').max(TRIAGE_WHERE_MAX),
  /** A replacement with the same scopes, shown in the copy-once dialog; false for a key nobody should use again. */
  replace: z.boolean()
}).strict()

export const TriageContainedSchema = z.object({
  replacement: z.object({ key: ApiKeySchema, revealId: Text, revealExpiresAt: z.number() }).nullable(),
  revoked: ApiKeySchema.nullable(),
  /** The check after the revoke: rejected is the proof. */
  after: ValiditySchema,
  /** The incident's journal entry. */
  incidentSeq: z.number().int().nullable()
})
export type TriageContained = z.infer<typeof TriageContainedSchema>

/** A file or folder scan: progress, then the findings (as a session). */
export const TriageScanSchema = z.object({
  scanId: Handle,
  state: z.enum(['running', 'done', 'cancelled', 'failed']),
  /** Where it reads: the chosen path, for the dialog's words. */
  root: Text,
  filesRead: z.number().int(),
  bytesRead: z.number(),
  /** Binaries and files over the size bound: skipped, counted. */
  skippedBinary: z.number().int(),
  skippedLarge: z.number().int(),
  /** Files that could not be read (permissions, gone), and files past the scan's bound on files. */
  skippedOther: z.number().int(),
  keysFound: z.number().int(),
  session: TriageSessionSchema.nullable(),
  error: Text.nullable()
})
export type TriageScan = z.infer<typeof TriageScanSchema>

export const TriageScanInputSchema = z
  .object({
    /** Where there is no OS dialog (the web preview): the path typed by the operator. With a dialog, main asks it. */
    path: z.string().min(1).max(4096).optional()
  })
  .strict()

export { SessionRef as TriageSessionRefSchema }
