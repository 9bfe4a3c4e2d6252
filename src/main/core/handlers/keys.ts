import type { Handlers } from '../router'
import type { RevealSlots } from '../secrets/reveal-slots'
import type { TenantSessions } from '../tenants/sessions'

export interface KeyDeps {
  sessions: TenantSessions
  slots: RevealSlots
}

export function keyHandlers(d: KeyDeps): Pick<Handlers, 'keys.list' | 'keys.get' | 'keys.create' | 'keys.revoke' | 'audit.list'> {
  return {
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
