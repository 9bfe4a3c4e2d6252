import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox } from '../../src/sandbox'
import { createCore, type Core } from '../../src/main/core'
import { createMemorySecretStore } from '../../src/main/core/tenants/memory-store'
import { silentLogger } from '../../src/main/core/log'
import type { Reply } from '../../src/shared/envelope'
import type { Headroom } from '../../src/shared/ratelimit'

type Sandbox = Awaited<ReturnType<typeof startSandbox>>
let sandbox: Sandbox
let core: Core
let tenant: string
let dataDir: string
const secrets = createMemorySecretStore()
const notes: { title: string; body: string }[] = []

const ok = <T>(r: Reply<unknown>): T => {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`)
  return r.data as T
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, tenants: 1, seedKeys: 5, rateLimit: 20, windowSeconds: 5, quiet: true })
  dataDir = mkdtempSync(join(tmpdir(), 'keydesk-headroom-'))
  core = createCore({ dataDir, secretStore: secrets, logger: silentLogger, notifier: { notify: (title, body) => void notes.push({ title, body }) } })
  const t = sandbox.tenants[0]!
  tenant = ok<{ id: string }>(
    await core.invoke('tenants.add', { label: 'meter', tenantId: t.id, baseUrl: sandbox.url, environment: 'staging', adminKey: t.admin_key })
  ).id
})
afterAll(async () => {
  await core?.dispose()
  await sandbox?.close()
})

describe('rate-limit headroom', () => {
  it("the meter's figures equal the sandbox's headers", async () => {
    const t = sandbox.tenants[0]!
    ok(await core.invoke('keys.list', { tenant, limit: 1 }))
    const h = ok<Headroom>(await core.invoke('ratelimit.status', { tenant }))
    // One more request straight to the sandbox shows what the window held after ours.
    const res = await fetch(`${sandbox.url}/v1/api-keys?limit=1`, { headers: { authorization: `Bearer ${t.admin_key}`, 'x-meshqu-tenant-id': t.id } })
    expect(h.current).toMatchObject({ tier: 'post-auth', limit: Number(res.headers.get('rate-limit-limit')) })
    expect(h.current!.remaining).toBe(Number(res.headers.get('rate-limit-remaining')) + 1)
    expect(h.current!.resetAt).toBe(Number(res.headers.get('rate-limit-reset')) * 1000)
    expect(h.history.at(-1)).toMatchObject({ resetAt: h.current!.resetAt, limit: 20 })
    expect(h.history.at(-1)!.requests).toBeGreaterThanOrEqual(1)
  })

  it('a probe costs exactly one request and moves the meter', async () => {
    ok(await core.invoke('keys.list', { tenant, limit: 1 })) // a fresh reading first
    const before = ok<Headroom>(await core.invoke('ratelimit.status', { tenant }))
    const after = ok<Headroom>(await core.invoke('ratelimit.probe', { tenant }))
    if (after.current!.resetAt === before.current!.resetAt) expect(after.current!.remaining).toBe(before.current!.remaining - 1)
    else expect(after.current!.remaining).toBe(19)
  })

  it('notifies once per window when headroom falls below the threshold', async () => {
    ok(await core.invoke('settings.update', { headroomAlertFraction: 0.5 }))
    notes.length = 0
    for (let i = 0; i < 12; i++) {
      const r = await core.invoke('keys.list', { tenant, limit: 1 })
      if (!r.ok) break
    }
    expect(notes.length).toBeGreaterThanOrEqual(1)
    expect(notes.length).toBeLessThanOrEqual(2) // at most one per window, and the loop may straddle two
    expect(notes[0]!.title).toContain('meter')
    expect(notes[0]!.body).toMatch(/of 20 requests left/)
    expect(ok<{ headroomAlertFraction: number }>(await core.invoke('settings.get', {})).headroomAlertFraction).toBe(0.5)
  })

  it('records 429s in the history and shows all tenants side by side; history survives a restart', async () => {
    sandbox.control.setFaults({ rate_limit_storm: { count: 1, retry_after_seconds: 1 } })
    const r = await core.invoke('keys.list', { tenant, limit: 1 })
    expect(r).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } })
    sandbox.control.clearFaults()
    const h = ok<Headroom>(await core.invoke('ratelimit.status', { tenant }))
    expect(h.history.reduce((n, w) => n + w.rateLimited, 0)).toBe(1)
    expect(h.pacing.reason).toBe('rate-limited')
    const all = ok<{ tenants: Headroom[] }>(await core.invoke('ratelimit.overview', {}))
    expect(all.tenants.map((x) => x.tenant)).toEqual([tenant])

    await new Promise((res) => setTimeout(res, 1100))
    ok(await core.invoke('keys.listAll', { tenant })) // saves the snapshot, history included
    const windows = ok<Headroom>(await core.invoke('ratelimit.status', { tenant })).history.length
    const next = createCore({ dataDir, secretStore: secrets, logger: silentLogger })
    const restored = ok<Headroom>(await next.invoke('ratelimit.status', { tenant }))
    expect(restored.history.length).toBe(windows)
    await next.dispose()
  }, 20_000)
})
