import type { IncomingMessage, ServerResponse } from 'node:http'
import { createMemorySecretStore } from '../../src/main/core/tenants/memory-store'
import { silentLogger } from '../../src/main/core/log'
import type { Reply } from '../../src/shared/envelope'
import type { CoreOptions } from '../../src/main/core'
import { ADMIN_KEY, keyObject, oddServer, sendJson, sendPage, TENANT } from './odd-server'

/**
 * A small MeshQu for the scheduled runner's tests: keys by id, and per key id the ways a test
 * makes it misbehave (a request held until released, a 429 with any Retry-After, another key
 * answering under the same id). Every request is in `seen`.
 */
type Key = Omit<ReturnType<typeof keyObject>, 'revoked_at'> & { revoked_at: string | null }

export async function scheduleServer(ids: readonly string[]) {
  const keys = new Map<string, Key>(ids.map((id) => [id, keyObject(id, { key_preview: `mqu_live_...${id.slice(-4).padStart(4, '0')}` })]))
  const holds = new Map<string, { release: () => void; gate: Promise<void> }>()
  const rateLimited = new Map<string, string>()
  const handle = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const m = /^\/v1\/api-keys(?:\/([^/]+))?$/.exec(url.pathname)
    if (!m) return sendJson(res, 404, { error: { code: 'NOT_FOUND', message: 'no route' } })
    const id = m[1] === undefined ? undefined : decodeURIComponent(m[1])
    if (id === undefined) {
      const all = [...keys.values()]
      return sendPage(res, all, { total: all.length, limit: 100, offset: 0, has_more: false })
    }
    const hold = holds.get(id)
    if (hold && req.method === 'DELETE') await hold.gate
    const wait = rateLimited.get(id)
    if (wait !== undefined) return sendJson(res, 429, { error: { code: 'RATE_LIMITED', message: 'slow down' } }, { 'retry-after': wait })
    const key = keys.get(id)
    if (!key) return sendJson(res, 404, { error: { code: 'NOT_FOUND', message: 'no such key' } })
    if (req.method === 'DELETE') {
      if (key.revoked_at !== null) return sendJson(res, 404, { error: { code: 'NOT_FOUND', message: 'already revoked' } })
      key.revoked_at = '2026-11-23T12:00:00Z'
      key.is_active = false
    }
    return sendJson(res, 200, { key })
  }
  const server = await oddServer((req, res, url) => handle(req, res, url))
  return {
    ...server,
    keys,
    /** DELETEs of this key wait until `release()`. */
    hold(id: string) {
      let release = () => {}
      const gate = new Promise<void>((r) => (release = r))
      holds.set(id, { gate, release })
      return () => {
        holds.delete(id)
        release()
      }
    },
    rateLimit: (id: string, retryAfter: string) => void rateLimited.set(id, retryAfter),
    deletes: (id: string) => server.seen.filter((s) => s.method === 'DELETE' && s.path === `/v1/api-keys/${id}`).length
  }
}

export const ok = <T>(r: Reply<unknown>): T => {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`)
  return r.data as T
}

/** Polls until `pick` returns a value (the runner works on its own timers); fails after `ms`. */
export async function until<T>(pick: () => Promise<T | undefined> | T | undefined, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const v = await pick()
    if (v !== undefined) return v
    if (Date.now() > deadline) throw new Error('condition not reached')
    await new Promise((r) => setTimeout(r, 20))
  }
}

export const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Core options for a data dir and a clock; the secrets are shared so a second core opens the same store. */
export function coreOptions(dataDir: string, now: () => number, extra: Partial<CoreOptions> = {}): CoreOptions {
  return { dataDir, secretStore: sharedSecrets(dataDir), logger: silentLogger, now, timeoutMs: 3000, scheduleCheckMs: 20, ...extra }
}
const secretsByDir = new Map<string, ReturnType<typeof createMemorySecretStore>>()
function sharedSecrets(dataDir: string) {
  let s = secretsByDir.get(dataDir)
  if (!s) secretsByDir.set(dataDir, (s = createMemorySecretStore()))
  return s
}

export const tenantInput = (label: string, baseUrl: string) => ({
  label,
  tenantId: TENANT,
  baseUrl,
  environment: 'staging',
  adminKey: ADMIN_KEY,
  skipVerify: true
})
