import { createMeshquClient } from '../meshqu/client'
import { CoreError } from '../errors'

/** A probe gives up after this long: a host that does not answer within it counts as gone. */
export const PROBE_TIMEOUT_MS = 3_000

/**
 * Asks a base URL's health endpoint (no credentials: MeshQu's health needs none, so no admin key is
 * sent and no tenant's rate limit is spent). Any HTTP answer means the host is there, even an
 * error status; only no answer at all (refused, dropped, timed out) means it is gone.
 */
export function createHostProbe(opts: { fetch?: typeof fetch; now?: () => number; timeoutMs?: number } = {}) {
  return async function probe(baseUrl: string): Promise<boolean> {
    const client = createMeshquClient({
      baseUrl,
      tenantId: 'health-probe',
      tenantLabel: new URL(baseUrl).host,
      adminKey: '',
      fetch: opts.fetch,
      now: opts.now,
      timeoutMs: opts.timeoutMs ?? PROBE_TIMEOUT_MS,
      retry: { retries: 0, baseDelayMs: 0, maxDelayMs: 0 }
    })
    try {
      await client.health()
      return true
    } catch (err) {
      return err instanceof CoreError && err.extra.status !== undefined
    }
  }
}
