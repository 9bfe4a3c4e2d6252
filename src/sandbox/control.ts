import { z } from 'zod'
import { SandboxError } from './errors'
import { Faults, FaultsInputSchema, type FaultsInput, type FaultsState } from './faults'
import type { RateLimiter, RateLimits } from './ratelimit'
import type { SandboxStore, TenantCounts } from './store'

export const CreateTenantInputSchema = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  /** demo keys to seed besides the admin key (default 0) */
  seed_keys: z.number().int().min(0).max(100_000).optional(),
  /** the first seeded keys are one per radar category (showcase.ts); needs seed_keys ≥ 8 */
  radar_showcase: z.boolean().optional()
})
export type CreateTenantInput = z.input<typeof CreateTenantInputSchema>

export const SeedInputSchema = z.object({ count: z.number().int().min(0).max(100_000) })

/** A simulated service presenting a revoked or expired key: one auth.denied event per time. */
export const PresentInputSchema = z.object({
  key_id: z.string().min(1).max(128),
  times: z.number().int().min(1).max(1000).default(1)
})
export type PresentInput = z.input<typeof PresentInputSchema>

export const LimitsInputSchema = z.object({
  /** post-authentication requests per window, per tenant + key */
  limit: z.number().int().min(1).max(1_000_000_000).optional(),
  /** pre-authentication requests per window, per client IP */
  pre_auth_limit: z.number().int().min(1).max(1_000_000_000).optional(),
  window_seconds: z.number().int().min(1).max(86_400).optional()
})
export type LimitsInput = z.input<typeof LimitsInputSchema>

export interface LimitsView {
  limit: number
  pre_auth_limit: number
  window_seconds: number
}

export interface TenantCredentials {
  id: string
  name: string
  admin_key: string
}

export interface SandboxStateView {
  limits: LimitsView
  faults: FaultsState
  tenants: TenantCounts[]
}

export const limitsView = (l: RateLimits): LimitsView => ({
  limit: l.limit,
  pre_auth_limit: l.preAuthLimit,
  window_seconds: l.windowSeconds
})

/**
 * What the /__sandbox routes do, callable in-process too (startSandbox's `control`).
 * `onAdminKey` lets the data-dir layer remember sandbox-provisioned admin keys.
 */
export class SandboxControl {
  constructor(
    private readonly store: SandboxStore,
    private readonly limiter: RateLimiter,
    readonly faults: Faults,
    private readonly onAdminKey: (tenantId: string, adminKey: string) => Promise<void> = async () => {}
  ) {}

  async createTenant(input: CreateTenantInput = {}): Promise<TenantCredentials> {
    const parsed = CreateTenantInputSchema.parse(input)
    const { tenant, adminKey } = this.store.createTenant(parsed.name)
    if (parsed.seed_keys) this.store.seed(tenant.id, parsed.seed_keys, { showcase: parsed.radar_showcase })
    await this.onAdminKey(tenant.id, adminKey)
    return { id: tenant.id, name: tenant.name, admin_key: adminKey }
  }

  seed(tenantId: string, count: number): { created: number } {
    const parsed = SeedInputSchema.parse({ count })
    if (!this.store.getTenant(tenantId)) throw new SandboxError('NOT_FOUND', `No tenant ${tenantId}`)
    return { created: this.store.seed(tenantId, parsed.count) }
  }

  present(tenantId: string, input: PresentInput): { events: number; reason: 'key_revoked' | 'key_expired' } {
    const p = PresentInputSchema.parse(input)
    if (!this.store.getTenant(tenantId)) throw new SandboxError('NOT_FOUND', `No tenant ${tenantId}`)
    return this.store.present(tenantId, p.key_id, p.times)
  }

  /** Change limits (unspecified ones stay); every window starts afresh. */
  setLimits(input: LimitsInput): LimitsView {
    const p = LimitsInputSchema.parse(input)
    return limitsView(
      this.limiter.configure({
        ...(p.limit !== undefined && { limit: p.limit }),
        ...(p.pre_auth_limit !== undefined && { preAuthLimit: p.pre_auth_limit }),
        ...(p.window_seconds !== undefined && { windowSeconds: p.window_seconds })
      })
    )
  }

  /** Replace every fault with the given ones (PUT semantics). */
  setFaults(input: FaultsInput): FaultsState {
    return this.faults.set(FaultsInputSchema.parse(input))
  }

  clearFaults(): FaultsState {
    return this.faults.clear()
  }

  state(): SandboxStateView {
    return { limits: limitsView(this.limiter.current), faults: this.faults.current, tenants: this.store.counts() }
  }
}
