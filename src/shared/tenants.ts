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

export const DEFAULT_BASE_URL = 'https://api.meshqu.com'

/** Any 8-4-4-4-12 hex id: MeshQu tenant ids are UUIDs, but we do not insist on a version nibble. */
export const TenantUuidSchema = z.guid('Tenant id must be a UUID like 123e4567-e89b-12d3-a456-426614174000')

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1'])
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname)
}

/** https everywhere; plain http only for loopback hosts (API.md, Transport). */
export const BaseUrlSchema = z
  .url({ protocol: /^https?$/, error: 'Base URL must be a full http(s) URL, e.g. https://api.meshqu.com' })
  .refine((u) => {
    const url = new URL(u)
    return url.protocol === 'https:' || isLoopbackHost(url.hostname)
  }, 'Plain http is refused except for loopback hosts; use https')
  .transform((u) => u.replace(/\/+$/, ''))

export const ColorSchema = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'Color must look like #7c3aed')

/** A tenant profile as stored in profiles.json. It never holds the admin key. */
export const TenantProfileSchema = z.object({
  id: z.string().min(1),
  label: z.string().trim().min(1, 'Label is required').max(60, 'Label must be at most 60 characters'),
  tenantId: TenantUuidSchema,
  baseUrl: BaseUrlSchema,
  environment: EnvironmentSchema,
  color: ColorSchema,
  /** Masked preview of the admin key, e.g. mqu_live_...x7Kf — never the key. */
  adminKeyPreview: z.string().nullable(),
  createdAt: z.iso.datetime(),
  /** The demo tenant of the sandbox KeyDesk runs itself ("Try the sandbox"). */
  embedded: z.boolean().default(false)
})
export type TenantProfile = z.infer<typeof TenantProfileSchema>

/** What KeyDesk last learned about reaching a tenant; shown in the sidebar. */
/** `stopped`: the embedded sandbox is not running (it runs only while KeyDesk does). */
export const TENANT_STATUSES = ['unknown', 'online', 'offline', 'auth-failed', 'keychain-locked', 'stopped'] as const
export const TenantStatusSchema = z.enum(TENANT_STATUSES)
export type TenantStatus = z.infer<typeof TenantStatusSchema>

export const TenantViewSchema = TenantProfileSchema.extend({ status: TenantStatusSchema })
export type TenantView = z.infer<typeof TenantViewSchema>
