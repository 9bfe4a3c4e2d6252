import type { Database } from 'better-sqlite3'
import { DEFAULT_POLICY, EnvironmentPolicySchema, PolicyRuleSchema, type FleetPolicy, type PolicyRule, type Waiver } from '../../../shared/policy'
import { ENVIRONMENTS } from '../../../shared/tenants'
import type { Logger } from '../log'

/** The fleet_policy and policy_waivers tables (migrations/fleet-policy.ts). */
export function createPolicyTable(db: Database, log: Logger) {
  const rows = db.prepare<[], { environment: string; json: string }>('SELECT environment, json FROM fleet_policy')
  const put = db.prepare(
    `INSERT INTO fleet_policy (environment, json, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (environment) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at`
  )
  const putWaiver = db.prepare(
    `INSERT OR REPLACE INTO policy_waivers (tenant, key_id, reason, until_ms, created_at, rules) VALUES (?, ?, ?, ?, ?, ?)`
  )
  const waivers = db.prepare<[string], { tenant: string; key_id: string; reason: string; until_ms: number; created_at: number; rules: string }>(
    'SELECT tenant, key_id, reason, until_ms, created_at, rules FROM policy_waivers WHERE tenant = ? ORDER BY key_id'
  )

  const parseRules = (json: string): PolicyRule[] => {
    try {
      return (JSON.parse(json) as unknown[]).flatMap((r) => {
        const p = PolicyRuleSchema.safeParse(r)
        return p.success ? [p.data] : []
      })
    } catch {
      return []
    }
  }

  return {
    /** The policy in force: each environment's stored rules, or its default (a damaged row too, logged). */
    get(): FleetPolicy {
      const out: FleetPolicy = { ...DEFAULT_POLICY }
      for (const r of rows.all()) {
        if (!(ENVIRONMENTS as readonly string[]).includes(r.environment)) continue
        let parsed
        try {
          parsed = EnvironmentPolicySchema.safeParse(JSON.parse(r.json))
        } catch {
          parsed = null
        }
        if (parsed?.success) out[r.environment as keyof FleetPolicy] = parsed.data
        else log.warn(`fleet policy of ${r.environment} is unreadable; its default applies`)
      }
      return out
    },
    /** Writes every environment's rules; true, so the write counts as anchored (fleet-store.ts). */
    put(policy: FleetPolicy, at: number): true {
      for (const env of ENVIRONMENTS) put.run(env, JSON.stringify(policy[env]), at)
      return true
    },
    putWaiver(w: Waiver): true {
      putWaiver.run(w.tenant, w.keyId, w.reason, w.until, w.createdAt, JSON.stringify(w.rules))
      return true
    },
    /** The tenant's waivers, lapsed ones too (the radar compares `until` with its clock). */
    waivers(tenant: string): Waiver[] {
      return waivers.all(tenant).map((r) => ({
        tenant: r.tenant,
        keyId: r.key_id,
        reason: r.reason,
        until: r.until_ms,
        createdAt: r.created_at,
        rules: parseRules(r.rules)
      }))
    }
  }
}

export type PolicyTable = ReturnType<typeof createPolicyTable>
