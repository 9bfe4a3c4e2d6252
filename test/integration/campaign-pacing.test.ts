import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox } from '../../src/sandbox'
import { createCore, type Core } from '../../src/main/core'
import { createMemorySecretStore } from '../../src/main/core/tenants/memory-store'
import { silentLogger } from '../../src/main/core/log'
import type { Campaign } from '../../src/shared/campaigns'
import { ok, untilKeys } from '../fixtures/campaign'

type Sandbox = Awaited<ReturnType<typeof startSandbox>>
const TENANTS = 50
const KEYS = 20
const LIMIT = 40
const SHARE = 0.25
let sandbox: Sandbox
let core: Core
interface Seen {
  tenant: string
  method: string
  sentAt: number
  status: number
  answeredAt: number
  retryAfterS: number | null
}
const seen: Seen[] = []
let recording = false
const profiles: string[] = []

/** Every MeshQu request KeyDesk sends, with its tenant, when it went and what came back. */
const recorder: typeof fetch = async (input, init) => {
  const sentAt = Date.now()
  const res = await fetch(input, init)
  if (recording) {
    const headers = new Headers(init?.headers)
    const ra = res.headers.get('retry-after')
    seen.push({
      tenant: headers.get('x-meshqu-tenant-id') ?? '',
      method: init?.method ?? 'GET',
      sentAt,
      status: res.status,
      answeredAt: Date.now(),
      retryAfterS: ra === null ? null : Number(ra)
    })
  }
  return res
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, tenants: TENANTS, seedKeys: 1, radarShowcase: false, quiet: true })
  // Each tenant's keys, made directly at MeshQu (as a fleet already has them).
  await Promise.all(
    sandbox.tenants.map(async (t, ti) => {
      for (let i = 0; i < KEYS; i++) {
        const r = await fetch(`${sandbox.url}/v1/api-keys`, {
          method: 'POST',
          headers: { authorization: `Bearer ${t.admin_key}`, 'x-meshqu-tenant-id': t.id, 'content-type': 'application/json' },
          body: JSON.stringify({ name: `svc-${ti}-${i}`, scopes: ['decisions:evaluate'] })
        })
        if (r.status !== 201) throw new Error(`seed create failed: ${r.status}`)
      }
    })
  )
  core = createCore({
    dataDir: mkdtempSync(join(tmpdir(), 'keydesk-campaign-pacing-')),
    secretStore: createMemorySecretStore(),
    logger: silentLogger,
    fetch: recorder,
    timeoutMs: 5000,
    campaigns: { tickMs: 50, granularityMs: 100, checkEveryMs: 60_000 }
  })
  for (const [i, t] of sandbox.tenants.entries()) {
    const id = ok<{ id: string }>(
      await core.invoke('tenants.add', { label: `fleet-${i}`, tenantId: t.id, baseUrl: sandbox.url, environment: 'staging', adminKey: t.admin_key })
    ).id
    ok(await core.invoke('keys.listAll', { tenant: id }))
    profiles.push(id)
  }
}, 120_000)
afterAll(async () => {
  await core?.dispose()
  await sandbox?.close()
})

describe('a campaign across 50 tenants × 20 keys under injected 429s', () => {
  it('keeps every tenant within its pacing share of each window and honours Retry-After', async () => {
    const keys = []
    for (const p of profiles) {
      const listed = ok<{ keys: { id: string; name: string }[] }>(await core.invoke('keys.listAll', { tenant: p })).keys
      for (const k of listed.filter((k) => k.name.startsWith('svc-'))) keys.push({ tenant: p, keyId: k.id })
    }
    expect(keys).toHaveLength(TENANTS * KEYS)
    // Small windows (1 s, 40 requests per tenant) and a storm of 429s with Retry-After: 2.
    sandbox.control.setLimits({ limit: LIMIT, window_seconds: 1 })
    sandbox.control.setFaults({ rate_limit_storm: { count: 60, retry_after_seconds: 2 } })
    recording = true
    const { campaign } = ok<{ campaign: Campaign }>(
      await core.invoke('campaigns.start', { keys, quietWindowMs: 60_000, deadlineMs: 600_000, pacingShare: SHARE })
    )
    await untilKeys(core, campaign.id, (k) => k.state === 'created', 90_000)
    recording = false

    const budget = Math.floor(LIMIT * SHARE)
    const rateLimited = seen.filter((s) => s.status === 429)
    expect(rateLimited.length).toBeGreaterThan(0)
    const perWindow = new Map<string, number>()
    for (const s of seen) {
      const w = `${s.tenant}@${Math.floor(s.sentAt / 1000)}`
      perWindow.set(w, (perWindow.get(w) ?? 0) + 1)
    }
    expect(Math.max(...perWindow.values())).toBeLessThanOrEqual(budget)
    // After a 429, nothing more for that tenant before its Retry-After has passed.
    for (const r of rateLimited) {
      const next = seen.filter((s) => s.tenant === r.tenant && s.sentAt >= r.answeredAt).sort((a, b) => a.sentAt - b.sentAt)[0]
      if (next) expect(next.sentAt - r.answeredAt).toBeGreaterThanOrEqual(r.retryAfterS! * 1000 - 5)
    }
    const creates = seen.filter((s) => s.method === 'POST' && s.status === 201).length
    expect(creates).toBe(TENANTS * KEYS)
    console.log(`campaign of ${TENANTS * KEYS} keys: ${seen.length} requests to create the replacements (${rateLimited.length} answered 429)`)
  }, 180_000)
})
