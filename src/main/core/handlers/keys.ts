import type { Handlers } from '../router'
import type { RevealSlots } from '../secrets/reveal-slots'
import type { TenantSessions } from '../tenants/sessions'
import type { RateLimitTracker } from '../ratelimit/tracker'
import type { ApiKey } from '../../../shared/meshqu'

export interface KeyDeps {
  sessions: TenantSessions
  slots: RevealSlots
  tracker: RateLimitTracker
}

/** MeshQu's largest page [ASSUMED]; fewer, bigger pages spend less of the rate limit. */
const PAGE = 500
/** Pages in flight at once for one tenant; the scheduler still holds them back near the reserve. */
const PARALLEL_PAGES = 4

/** Runs `tasks` with at most `width` at once, keeping results in order. */
async function boundedAll<T>(tasks: (() => Promise<T>)[], width: number): Promise<T[]> {
  const out: T[] = new Array(tasks.length)
  let next = 0
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++
      out[i] = await tasks[i]!()
    }
  }
  await Promise.all(Array.from({ length: Math.min(width, tasks.length) }, worker))
  return out
}

type KeyHandlers = Pick<Handlers, 'keys.list' | 'keys.listAll' | 'keys.get' | 'keys.create' | 'keys.revoke' | 'audit.list'>

export function keyHandlers(d: KeyDeps): KeyHandlers {
  return {
    'keys.listAll': async ({ tenant, status }) => {
      const { client } = await d.sessions.open(tenant)
      const first = await client.listKeys({ status, limit: PAGE, offset: 0 })
      const total = first.data.pagination.total
      const offsets: number[] = []
      for (let o = first.data.data.length; o < total; o += PAGE) offsets.push(o)
      // Later pages are bulk work: they keep the reserve and wait for the window if it runs low.
      const pages = await boundedAll(
        offsets.map((offset) => () => client.listKeys({ status, limit: PAGE, offset }, { kind: 'background' })),
        PARALLEL_PAGES
      )
      // Keys created or revoked mid-listing can shift pages; the id keeps each key once.
      const seen = new Set<string>()
      const keys: ApiKey[] = []
      for (const k of [first, ...pages].flatMap((p) => p.data.data)) {
        if (!seen.has(k.id)) {
          seen.add(k.id)
          keys.push(k)
        }
      }
      return {
        data: { keys, total, pages: 1 + pages.length },
        meta: { servedFrom: 'network', rateLimit: d.tracker.forTenant(tenant) ?? first.rateLimit }
      }
    },

    'keys.list': async ({ tenant, status, limit, offset }) => {
      const { client } = await d.sessions.open(tenant)
      const res = await client.listKeys({ status, limit, offset })
      return { data: { keys: res.data.data, pagination: res.data.pagination }, meta: { servedFrom: 'network', rateLimit: res.rateLimit } }
    },

    'keys.get': async ({ tenant, id }) => {
      const { client } = await d.sessions.open(tenant)
      const res = await client.getKey(id)
      return { data: res.data.key, meta: { servedFrom: 'network', rateLimit: res.rateLimit } }
    },

    'keys.create': async ({ tenant, key }) => {
      const { client } = await d.sessions.open(tenant)
      const res = await client.createKey(key)
      // The plaintext stops here: the renderer only ever gets the slot id.
      const slot = d.slots.put(res.data.plaintext_key)
      return {
        data: { key: res.data.key, revealId: slot.revealId, revealExpiresAt: slot.expiresAt },
        meta: { servedFrom: 'network', rateLimit: res.rateLimit }
      }
    },

    'keys.revoke': async ({ tenant, id }) => {
      const { client } = await d.sessions.open(tenant)
      const res = await client.revokeKey(id)
      return { data: res.data.key, meta: { servedFrom: 'network', rateLimit: res.rateLimit } }
    },

    'audit.list': async ({ tenant, limit, offset, action }) => {
      const { client } = await d.sessions.open(tenant)
      const res = await client.listAudit({ limit, offset, action })
      return { data: { events: res.data.data, pagination: res.data.pagination }, meta: { servedFrom: 'network', rateLimit: res.rateLimit } }
    }
  }
}
