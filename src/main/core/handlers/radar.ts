import type { PresentedTenant, RadarKeyItem, Settings } from '../../../shared/contract'
import { BADGE_CATEGORIES, RADAR_CATEGORIES, type OutsideChange } from '../../../shared/radar'
import { ENVIRONMENTS, type TenantProfile } from '../../../shared/tenants'
import type { FleetPolicy } from '../../../shared/policy'
import { CoreError } from '../errors'
import type { Logger } from '../log'
import type { FileSaverPort } from '../ports'
import type { FleetStore } from '../store/fleet-store'
import type { RadarStore, RadarTenant } from '../store/radar'
import type { ProfileStore } from '../tenants/profile-store'
import type { TenantSessions } from '../tenants/sessions'
import { PresentedReadSchema, readPresented, type PresentedRead } from '../radar/presented'
import { findingsOf as findingsOfKeys, policyRulesOf } from '../store/report-build'
import type { Handlers } from '../router'
import type { Journal } from '../journal/journal'

export interface RadarDeps {
  store: FleetStore
  radar: RadarStore
  profiles: ProfileStore
  settings: () => Promise<Settings>
  /** The fleet policy ("outside policy", compliance, the report's policy column). */
  policy: () => Promise<FleetPolicy>
  sessions: TenantSessions
  fileSaver?: FileSaverPort
  log: Logger
  now: () => number
  /** Records acknowledgements of changes made outside KeyDesk. */
  journal: Journal
  /** Who is at this KeyDesk (the OS account main runs as): the "who" of an acknowledgement, never the renderer's word. */
  operator: () => string
}

/** Production first (its findings matter most), then by label. */
const byEnvironmentThenLabel = (a: TenantProfile, b: TenantProfile) =>
  ENVIRONMENTS.indexOf(a.environment) - ENVIRONMENTS.indexOf(b.environment) || a.label.localeCompare(b.label)

const ref = (p: TenantProfile) => ({ id: p.id, label: p.label, environment: p.environment })

/**
 * The fleet radar: counts and drill-downs from the store only (offline too),
 * still-presented keys from MeshQu's audit log, and the credential report.
 */
export function radarHandlers(
  d: RadarDeps
): Pick<Handlers, 'radar.summary' | 'radar.keys' | 'radar.presented' | 'radar.report' | 'radar.acknowledge'> {
  async function tenants(only?: readonly string[]): Promise<{ profile: TenantProfile; radar: RadarTenant }[]> {
    const { radar: rules } = await d.settings()
    const policy = await d.policy()
    const wanted = only ? new Set(only) : null
    return (
      (await d.profiles.list())
        .filter((p) => !wanted || wanted.has(p.id))
        .sort(byEnvironmentThenLabel)
        // KeyDesk's own admin key is the one whose preview the profile keeps (as the keys view marks it).
        .map((profile) => ({
          profile,
          radar: {
            tenant: profile.id,
            rules: rules[profile.environment],
            ownAdminPreview: profile.adminKeyPreview,
            policy: { rules: policy[profile.environment], environment: profile.environment }
          }
        }))
    )
  }

  /** One tenant asked for is a click (interactive); all tenants at once is background work. */
  async function presentedFor(profile: TenantProfile, now: number, kind: 'interactive' | 'background'): Promise<PresentedTenant> {
    const base = { tenant: profile.id, label: profile.label }
    // Keys contained as leaks stay in view here: marked, and listed first.
    const leaked = new Set(
      (await d.store.journal.list({ tenant: profile.id, actions: ['leak.contain'], limit: 500 }).catch(() => ({ entries: [] }))).entries.flatMap(
        (e) => (e.keyId ? [e.keyId] : [])
      )
    )
    const fromRead = (r: PresentedRead, servedFrom: 'network' | 'store', checkedAt: number): PresentedTenant => ({
      ...base,
      state: 'ok',
      servedFrom,
      checkedAt,
      message: null,
      since: r.since,
      truncated: r.truncated,
      keys: leaked.size
        ? r.keys.map((k) => (leaked.has(k.keyId) ? { ...k, leaked: true } : k)).sort((a, b) => Number(!!b.leaked) - Number(!!a.leaked))
        : r.keys
    })
    try {
      const { client } = await d.sessions.open(profile.id)
      const read = await readPresented(client, (ids) => d.radar.keysById(profile.id, ids), now, kind)
      await d.radar.presented.save(profile.id, now, read).catch((err) => d.log.warn('still-presented keys not stored', err))
      return fromRead(read, 'network', now)
    } catch (err) {
      if (!(err instanceof CoreError)) throw err
      // Structured: a 403 on the audit log means the admin key lacks audit:read. Said once, not an error.
      if (err.code === 'FORBIDDEN') {
        return {
          ...base,
          state: 'no-audit-read',
          servedFrom: null,
          checkedAt: now,
          since: null,
          truncated: false,
          keys: [],
          message: `The admin key of ${profile.label} lacks audit:read, so KeyDesk cannot see which revoked or expired keys are still presented.`
        }
      }
      const stored = await d.radar.presented.load(profile.id).catch(() => null)
      const parsed = stored ? PresentedReadSchema.safeParse(stored.value) : null
      if (stored && parsed?.success) return fromRead(parsed.data, 'store', stored.checkedAt)
      return {
        ...base,
        state: 'unavailable',
        servedFrom: null,
        checkedAt: null,
        since: null,
        truncated: false,
        keys: [],
        message: err.toAppError().message
      }
    }
  }

  return {
    'radar.summary': async () => {
      const now = d.now()
      const list = await tenants()
      const counted = await d.radar.summary(
        list.map((t) => t.radar),
        now
      )
      const rows = list.map(({ profile }) => {
        const c = counted.get(profile.id)!
        return {
          ...ref(profile),
          syncedAt: c.syncedAt,
          ageMs: c.syncedAt === null ? null : Math.max(0, now - c.syncedAt),
          findings: BADGE_CATEGORIES.reduce((n, cat) => n + c.counts[cat], 0),
          counts: c.counts,
          compliance: { within: Math.max(0, c.live - c.counts['outside-policy']), live: c.live }
        }
      })
      const categories = RADAR_CATEGORIES.map((category) => {
        const byTenant = rows.filter((r) => r.counts[category] > 0).map((r) => ({ tenant: r.id, count: r.counts[category] }))
        return { category, total: byTenant.reduce((n, t) => n + t.count, 0), tenants: byTenant }
      })
      return { data: { generatedAt: now, categories, tenants: rows }, meta: { servedFrom: 'local' } }
    },

    'radar.keys': async ({ category, tenants: only, limit, offset }) => {
      const now = d.now()
      const list = await tenants(only)
      const counted = await d.radar.summary(
        list.map((t) => t.radar),
        now
      )
      const total = list.reduce((n, t) => n + counted.get(t.profile.id)!.counts[category], 0)
      const items: RadarKeyItem[] = []
      // Tenants in order; whole tenants before the offset are skipped by their counts.
      let skip = offset
      for (const { profile, radar } of list) {
        if (items.length >= limit) break
        const { counts, syncedAt } = counted.get(profile.id)!
        if (skip >= counts[category]) {
          skip -= counts[category]
          continue
        }
        const rows = await d.radar.keys(radar, category, now, { limit: limit - items.length, offset: skip })
        skip = 0
        const ctx = await d.radar.keyContext(profile.id)
        const findings = await findingsOfKeys(d.radar, radar, rows, now, ctx)
        const rules = await policyRulesOf(d.radar, radar, rows, now)
        rows.forEach((r, i) => {
          const outside: OutsideChange[] = ctx.outside.get(r.keyId) ?? []
          items.push({
            tenant: ref(profile),
            keyId: r.keyId,
            key: r.key,
            syncedAt,
            findings: findings[i]!,
            policyRules: rules[i]!,
            ...(outside.length && { outside })
          })
        })
      }
      return { data: { category, total, offset, items, truncated: offset + items.length < total }, meta: { servedFrom: 'local' } }
    },

    'radar.presented': async (input) => {
      const now = d.now()
      const list = await tenants(input?.tenant ? [input.tenant] : undefined)
      if (input?.tenant && !list.length) throw new CoreError('NOT_FOUND', 'That tenant is no longer in KeyDesk.')
      // One tenant at a time: each call is paced by its own tenant's headroom anyway.
      const out: PresentedTenant[] = []
      for (const { profile } of list) out.push(await presentedFor(profile, now, input?.tenant ? 'interactive' : 'background'))
      return { data: { tenants: out }, meta: { servedFrom: 'local' } }
    },

    'radar.acknowledge': async ({ tenant, keyId, kind, reason }) => {
      const profile = await d.profiles.get(tenant)
      if (!profile) throw new CoreError('NOT_FOUND', 'That tenant is no longer in KeyDesk.')
      const found = await d.store.outside.acknowledge(tenant, kind, keyId, d.now())
      if (!found) return { data: { acknowledged: false }, meta: { servedFrom: 'local' } }
      const who = d.operator()
      const by = found.actor ? ` by ${found.actorName ? `${found.actorName} (${found.actor})` : found.actor}` : ''
      const entry = await d.journal.record({
        tenant,
        action: 'outside.ack',
        outcome: 'ok',
        key: { id: keyId, name: found.keyName, preview: found.keyPreview },
        reason,
        detail: `${kind === 'created' ? 'Created' : 'Revoked'} outside KeyDesk${by}; acknowledged by ${who}.`
      })
      if (entry) await d.store.outside.acknowledged(tenant, kind, keyId, entry.seq).catch((err) => d.log.warn('acknowledgement not linked', err))
      return { data: { acknowledged: true }, meta: { servedFrom: 'local' } }
    },

    'radar.report': async ({ format, selection, save }) => {
      const now = d.now()
      const wanted = selection ? groupSelection(selection) : null
      const list = await tenants(wanted ? [...wanted.keys()] : undefined)
      const suggestedName = `keydesk-credential-report-${new Date(now).toISOString().slice(0, 10)}.${format}`
      const request = {
        format,
        now,
        tenants: list.map(({ profile, radar }) => ({ label: profile.label, tenantId: profile.tenantId, environment: profile.environment, radar })),
        ...(wanted ? { selection: Object.fromEntries(wanted) } : {})
      }
      if (!save) {
        const built = await d.store.report(request)
        return { data: { rows: built.rows, suggestedName, content: built.content, saved: false, path: null } }
      }
      if (!d.fileSaver) throw new CoreError('READ_ONLY', 'There is no save dialog here; ask for the report without save and download it.')
      // Where the operator picked a path, the store's thread writes the file: the report never crosses main.
      if (d.fileSaver.choosePath) {
        const path = await d.fileSaver.choosePath(suggestedName)
        if (!path) return { data: { rows: 0, suggestedName, content: null, saved: false, path: null } }
        const built = await d.store.report({ ...request, path })
        return { data: { rows: built.rows, suggestedName, content: null, saved: true, path } }
      }
      const built = await d.store.report(request)
      const path = await d.fileSaver.save(suggestedName, built.content ?? '')
      return { data: { rows: built.rows, suggestedName, content: null, saved: path !== null, path } }
    }
  }
}

/** (tenant, key id) pairs → key ids per tenant, first-seen order, each once. */
function groupSelection(selection: readonly { tenant: string; keyId: string }[]): Map<string, string[]> {
  const sets = new Map<string, Set<string>>()
  for (const { tenant, keyId } of selection) {
    const ids = sets.get(tenant) ?? new Set<string>()
    ids.add(keyId)
    sets.set(tenant, ids)
  }
  return new Map([...sets].map(([t, ids]) => [t, [...ids]]))
}
