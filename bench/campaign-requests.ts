/**
 * The request count of a whole rotation campaign: 50 tenants × 20 keys (BENCH_CAMPAIGN_TENANTS,
 * BENCH_CAMPAIGN_KEYS) against the sandbox, from start to every old key revoked: the creates, the
 * watch's reads, the revokes. Each service moves to its replacement right after the hand-over.
 * Run alone: `node --import tsx bench/campaign-requests.ts` (not part of `npm run bench`).
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startSandbox } from '../src/sandbox'
import { createCore } from '../src/main/core'
import { createMemorySecretStore } from '../src/main/core/tenants/memory-store'
import { silentLogger } from '../src/main/core/log'
import type { Reply } from '../src/shared/envelope'
import type { Campaign, CampaignDetail } from '../src/shared/campaigns'

const TENANTS = Number(process.env.BENCH_CAMPAIGN_TENANTS ?? 50)
const KEYS = Number(process.env.BENCH_CAMPAIGN_KEYS ?? 20)
const ok = <T>(r: Reply<unknown>): T => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`)
  return r.data as T
}

const counts = { GET: 0, list: 0, POST: 0, DELETE: 0, limited: 0 }
let counting = false
const counter: typeof fetch = async (input, init) => {
  const res = await fetch(input, init)
  if (counting) {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input.toString() : input.url)
    const m = init?.method ?? 'GET'
    if (m === 'GET') counts[url.pathname.endsWith('/api-keys') ? 'list' : 'GET']++
    else if (m === 'POST' || m === 'DELETE') counts[m]++
    if (res.status === 429) counts.limited++
  }
  return res
}

async function main() {
  const sandbox = await startSandbox({ port: 0, tenants: TENANTS, seedKeys: 1, radarShowcase: false, quiet: true })
  const core = createCore({
    dataDir: mkdtempSync(join(tmpdir(), 'keydesk-bench-campaign-')),
    secretStore: createMemorySecretStore(),
    logger: silentLogger,
    fetch: counter,
    campaigns: { tickMs: 100, granularityMs: 200, checkEveryMs: 1000 }
  })
  const plaintexts = new Map<string, { tenantId: string }>()
  const keys: { tenant: string; keyId: string }[] = []
  for (const [ti, t] of sandbox.tenants.entries()) {
    for (let i = 0; i < KEYS; i++) {
      const r = await fetch(`${sandbox.url}/v1/api-keys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${t.admin_key}`, 'x-meshqu-tenant-id': t.id, 'content-type': 'application/json' },
        body: JSON.stringify({ name: `svc-${ti}-${i}`, scopes: ['decisions:evaluate'] })
      })
      if (r.status !== 201) throw new Error(`seed: ${r.status}`)
    }
    const id = ok<{ id: string }>(
      await core.invoke('tenants.add', { label: `fleet-${ti}`, tenantId: t.id, baseUrl: sandbox.url, environment: 'staging', adminKey: t.admin_key })
    ).id
    plaintexts.set(id, { tenantId: t.id })
    for (const k of ok<{ keys: { id: string; name: string }[] }>(await core.invoke('keys.listAll', { tenant: id })).keys)
      if (k.name.startsWith('svc-')) keys.push({ tenant: id, keyId: k.id })
  }

  counting = true
  const started = Date.now()
  const { campaign } = ok<{ campaign: Campaign }>(
    await core.invoke('campaigns.start', { keys, quietWindowMs: 2000, deadlineMs: 600_000, pacingShare: 0.25 })
  )
  const handed = new Set<number>()
  let recreated = 0
  for (;;) {
    const d = ok<CampaignDetail>(await core.invoke('campaigns.get', { campaignId: campaign.id }))
    for (const k of d.keys) {
      if (k.state !== 'created' || !k.revealId || handed.has(k.id)) continue
      const revealed = await core.invoke('secrets.reveal', { revealId: k.revealId })
      // A slot that ran out before its turn: that replacement is created again below.
      if (!revealed.ok) continue
      const { plaintext } = revealed.data as { plaintext: string }
      ok(await core.invoke('campaigns.handOver', { campaignId: campaign.id, keyRowId: k.id }))
      handed.add(k.id)
      // The service moves to the replacement: one request with it.
      await fetch(`${sandbox.url}/v1/api-keys?limit=1`, {
        headers: { authorization: `Bearer ${plaintext}`, 'x-meshqu-tenant-id': plaintexts.get(k.tenant)!.tenantId }
      })
    }
    if (d.keys.every((k) => k.state === 'revoked')) break
    if (d.campaign.notHandedOver > 0) {
      recreated += d.campaign.notHandedOver
      ok(await core.invoke('campaigns.recreate', { campaignId: campaign.id }))
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  const total = counts.GET + counts.list + counts.POST + counts.DELETE
  console.log(`KeyDesk bench — campaign request count — ${new Date().toISOString()} — node ${process.version}`)
  console.log(`${TENANTS} tenants × ${KEYS} keys, quiet window 2 s, checks ≥ 1 s apart, pacing share 0.25`)
  console.log(
    `requests: ${total} in ${((Date.now() - started) / 1000).toFixed(1)} s — creates ${counts.POST}, key GETs ${counts.GET}, list pages ${counts.list}, revokes ${counts.DELETE}; 429s ${counts.limited}; ${(total / (TENANTS * KEYS)).toFixed(2)} per key; ${recreated} replacements created again`
  )
  await core.dispose()
  await sandbox.close()
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
