import { z } from 'zod'

export const ENVIRONMENTS = ['production', 'staging', 'development', 'sandbox'] as const
export const EnvironmentSchema = z.enum(ENVIRONMENTS)
export type Environment = z.infer<typeof EnvironmentSchema>

/** Default stripe colors per environment (UI.md); a profile may override its own. */
export const ENVIRONMENT_COLORS: Readonly<Record<Environment, string>> = {
  production: '#d32f2f',
  staging: '#f59e0b',
  development: '#2563eb',
  sandbox: '#7c3aed'
}

/**
 * How much a tenant guards its writes. read-only: no write without an unlock (a reason, a few
 * minutes); protected: the typed confirmations; open: one explicit button.
 */
export const PROTECTION_LEVELS = ['open', 'protected', 'read-only'] as const
export const ProtectionLevelSchema = z.enum(PROTECTION_LEVELS)
export type ProtectionLevel = z.infer<typeof ProtectionLevelSchema>

/** The level a tenant has until one is chosen for it. */
export const DEFAULT_LEVELS: Readonly<Record<Environment, ProtectionLevel>> = {
  production: 'read-only',
  staging: 'protected',
  development: 'open',
  sandbox: 'open'
}

/** The tenant's level: its own, else its environment's default. */
export const levelOf = (p: { environment: Environment; level?: ProtectionLevel | undefined }): ProtectionLevel =>
  p.level ?? DEFAULT_LEVELS[p.environment]

const LEVEL_RANK: Readonly<Record<ProtectionLevel, number>> = { open: 0, protected: 1, 'read-only': 2 }
/** True when `to` guards less than `from`. */
export const lowers = (from: ProtectionLevel, to: ProtectionLevel) => LEVEL_RANK[to] < LEVEL_RANK[from]
/** The stricter of two levels. */
export const stricter = (a: ProtectionLevel, b: ProtectionLevel): ProtectionLevel => (LEVEL_RANK[a] >= LEVEL_RANK[b] ? a : b)

/** Writes unlocked on a read-only tenant: minutes on offer, and the idle time that ends an unlock. */
export const UNLOCK_MINUTES = [5, 15, 30] as const
export const UNLOCK_IDLE_MS = 10 * 60_000

export const DEFAULT_BASE_URL = 'https://api.meshqu.com'

/** Any 8-4-4-4-12 hex id: MeshQu tenant ids are UUIDs, but we do not insist on a version nibble. */
export const TenantUuidSchema = z.guid('Tenant id must be a UUID like 123e4567-e89b-12d3-a456-426614174000')

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1'])
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname)
}

export const BASE_URL_MAX = 2048

export interface BaseUrlProblem {
  kind: 'malformed' | 'user-info' | 'query' | 'fragment' | 'plain-http'
  message: string
}

/**
 * Why a base URL cannot be used, or null. One rule for the form (BaseUrlSchema) and the client
 * (checkBaseUrl). User info would put a password in profiles.json and in every request; a query
 * or fragment would be dropped or mangled when paths are joined, and then fail as "offline".
 */
export function baseUrlProblem(raw: string): BaseUrlProblem | null {
  const malformed = { kind: 'malformed', message: 'Base URL must be a full http(s) URL, e.g. https://api.meshqu.com' } as const
  if (/\s/.test(raw)) return malformed
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return malformed
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return malformed
  // On the raw text: `https://@host`, `https://host/?` and `https://host/#` parse to empty parts.
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(raw)) return { kind: 'user-info', message: 'Base URL must not contain a user name or password' }
  if (raw.includes('?')) return { kind: 'query', message: 'Base URL must not contain a query (?…)' }
  if (raw.includes('#')) return { kind: 'fragment', message: 'Base URL must not contain a fragment (#…)' }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    return { kind: 'plain-http', message: 'Plain http is refused except for loopback hosts; use https' }
  }
  return null
}

/** https everywhere; plain http only for loopback hosts (API.md, Transport). */
export const BaseUrlSchema = z
  .string()
  .max(BASE_URL_MAX, `Base URL must be at most ${BASE_URL_MAX} characters`)
  .superRefine((u, ctx) => {
    const problem = baseUrlProblem(u)
    if (problem) ctx.addIssue({ code: 'custom', message: problem.message })
  })
  // KeyDesk adds /v1/… itself: a root pasted with the version (".../v1/", as API docs print it)
  // would otherwise ask for /v1/v1/… and get 404s.
  .transform((u) => u.replace(/\/+$/, '').replace(/\/v1$/i, ''))

export const ColorSchema = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'Color must look like #7c3aed')

/**
 * KeyDesk's own id of a profile (randomUUID when added). Only UUIDs: the id names the tenant's
 * keychain account, so it must never be able to spell another account.
 */
export const ProfileIdSchema = z.uuid()

/** A tenant profile as stored in profiles.json. It never holds the admin key. */
export const TenantProfileSchema = z.object({
  id: z.string().min(1).max(128),
  label: z.string().trim().min(1, 'Label is required').max(60, 'Label must be at most 60 characters'),
  tenantId: TenantUuidSchema,
  baseUrl: BaseUrlSchema,
  environment: EnvironmentSchema,
  color: ColorSchema,
  /** Masked preview of the admin key, e.g. mqu_live_...x7Kf — never the key. */
  // Generous: previews saved before the prefix fix were longer; profile-store.ts cuts them down on load.
  adminKeyPreview: z.string().max(1024).nullable(),
  createdAt: z.iso.datetime(),
  /** The demo tenant of the sandbox KeyDesk runs itself ("Try the sandbox"). */
  embedded: z.boolean().default(false),
  /** Absent: the environment's default (DEFAULT_LEVELS). Bound in the keychain like the environment. */
  level: ProtectionLevelSchema.optional()
})
export type TenantProfile = z.infer<typeof TenantProfileSchema>

/** What KeyDesk last learned about reaching a tenant; shown in the sidebar. */
/** `stopped`: the embedded sandbox is not running (it runs only while KeyDesk does). */
/**
 * `settling`: a write's outcome is unknown and the list that settles it is on its way (not offline);
 * `rate-limited`: MeshQu answered 429 and KeyDesk sends nothing to the tenant until Retry-After.
 */
export const TENANT_STATUSES = ['unknown', 'online', 'offline', 'auth-failed', 'keychain-locked', 'stopped', 'settling', 'rate-limited'] as const
export const TenantStatusSchema = z.enum(TENANT_STATUSES)
export type TenantStatus = z.infer<typeof TenantStatusSchema>

/** An unlock of a read-only tenant's writes, held in main's memory only. */
export const UnlockSchema = z.object({
  tenant: z.string().max(128),
  label: z.string().max(200),
  reason: z.string().max(4096),
  startedAt: z.number(),
  /** When it ends by itself; idle for UNLOCK_IDLE_MS ends it sooner (`idleUntil`). */
  until: z.number(),
  idleUntil: z.number()
})
export type Unlock = z.infer<typeof UnlockSchema>

/** `level` is the tenant's effective level (unlocks are asked for on their own: unlock.list). */
export const TenantViewSchema = TenantProfileSchema.extend({ status: TenantStatusSchema, level: ProtectionLevelSchema })
export type TenantView = z.infer<typeof TenantViewSchema>
