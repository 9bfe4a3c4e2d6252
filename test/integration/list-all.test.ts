import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox } from '../../src/sandbox'
import { createCore, type Core } from '../../src/main/core'
import { createMemorySecretStore } from '../../src/main/core/tenants/memory-store'
import { silentLogger } from '../../src/main/core/log'
import type { Reply } from '../../src/shared/envelope'

type Sandbox = Awaited<ReturnType<typeof startSandbox>>
let sandbox: Sandbox
let core: Core
let tenant: string
const seen: { status: number; reset: string | null }[] = []
// Records every answer: the proof of pacing is that no 429 came back although more requests were
// sent than one window allows, which means they were spread over several windows.
const recordingFetch = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
  const res = await fetch(input, init)
  seen.push({ status: res.status, reset: res.headers.get('rate-limit-reset') })
  return res
}) as typeof fetch

const ok = <T>(r: Reply<unknown>) => {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`)
  return r as { ok: true; data: T; meta: Extract<Reply<T>, { ok: true }>['meta'] }
}

beforeAll(async () => {
  // 2,100 keys and a tiny window: 4 requests per 2 s, so listing must pace itself.
  sandbox = await startSandbox({ port: 0, tenants: 1, seedKeys: 2100, rateLimit: 4, windowSeconds: 2, quiet: true })
  core = createCore({
    dataDir: mkdtempSync(join(tmpdir(), 'keydesk-listall-')),
    secretStore: createMemorySecretStore(),
    logger: silentLogger,
    fetch: recordingFetch
  })
  const t = sandbox.tenants[0]!
  const added = ok<{ id: string }>(
    await core.invoke('tenants.add', { label: 'paced', tenantId: t.id, baseUrl: sandbox.url, environment: 'sandbox', adminKey: t.admin_key })
  )
  tenant = added.data.id
})
afterAll(async () => {
  await core?.dispose()
  await sandbox?.close()
})

describe('keys.listAll', () => {
  it('loads every page without tripping a 429, waiting for the window instead', async () => {
    const all = ok<{ keys: { id: string }[]; total: number; pages: number }>(await core.invoke('keys.listAll', { tenant }))
    expect(all.data.total).toBe(2100)
    expect(all.data.keys).toHaveLength(2100)
    expect(new Set(all.data.keys.map((k) => k.id)).size).toBe(2100)
    expect(all.data.pages).toBe(5)
    expect(all.meta.rateLimit?.limit).toBe(4)
    // 6 requests (the add's check and 5 pages) against 4 per window, and not one 429.
    expect(seen).toHaveLength(6)
    expect(seen.map((r) => r.status)).not.toContain(429)
    expect(new Set(seen.map((r) => r.reset)).size).toBeGreaterThanOrEqual(2)
  }, 30_000)
})
