// Leak triage's lookup over a full fleet: 50 tenants × 10,000 stored keys, every one with a keyed
// fingerprint (as if KeyDesk had made them all), in the encrypted store on its worker thread.
// A pasted key is resolved by matchKeys (triage/match.ts) exactly as the triage channel does it:
// fingerprint in main, one index lookup by fingerprint and one by preview in the worker.
// Figures only; nothing here is asserted. Standalone: `node --import tsx bench/triage.ts`.
import { randomUUID } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createDataKeyProvider } from '../src/main/core/store/data-key'
import { createFleetStore } from '../src/main/core/store/fleet-store'
import { createStoreClient } from '../src/main/core/store/worker/store-client'
import { silentLogger } from '../src/main/core/log'
import { createMemorySecretStore } from '../src/main/core/tenants/memory-store'
import { createFingerprinter } from '../src/main/core/triage/fingerprint-key'
import { matchKeys } from '../src/main/core/triage/match'
import { extractKeys } from '../src/main/core/triage/extract'
import { maskKey } from '../src/main/core/redact'
import { randomBase62 } from '../src/sandbox/keys'
import type { ApiKey } from '../src/shared/meshqu'
import type { TenantProfile } from '../src/shared/tenants'
import { formatResults, percentile, type BenchResult } from './stats'

const TENANTS = Number(process.env.BENCH_TRIAGE_TENANTS ?? 50)
const KEYS = Number(process.env.BENCH_TRIAGE_KEYS ?? 10_000)
const LOOKUPS = 200

export async function triageLookup(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'keydesk-bench-triage-'))
  const path = join(dir, 'keydesk.db')
  const secrets = createMemorySecretStore()
  const dataKey = createDataKeyProvider(secrets)
  const fingerprint = createFingerprinter(secrets)
  const profiles: TenantProfile[] = []
  const plaintexts: string[] = []
  const fill = performance.now()
  const filler = createFleetStore({ path, dataKey, log: silentLogger, now: Date.now })
  const db = await filler.database()
  const putFp = db.prepare('INSERT INTO key_fingerprints (fingerprint, tenant, key_id, created_at) VALUES (?, ?, ?, ?)')
  for (let t = 0; t < TENANTS; t++) {
    const tenant = randomUUID()
    profiles.push({
      id: tenant,
      label: `bench-${t}`,
      tenantId: randomUUID(),
      baseUrl: 'http://127.0.0.1:9',
      environment: 'production',
      color: '#7c3aed',
      adminKeyPreview: null,
      createdAt: new Date().toISOString(),
      embedded: false
    })
    const keys: ApiKey[] = []
    const fps: [string, string][] = []
    for (let k = 0; k < KEYS; k++) {
      const plaintext = `mqu_live_${randomBase62(32)}`
      const id = randomUUID()
      keys.push({
        id,
        tenant_id: tenant,
        name: `svc-${t}-${k}`,
        key_preview: maskKey(plaintext),
        scopes: k % 10 === 0 ? ['api-keys:admin'] : ['decisions:evaluate'],
        expires_at: null,
        last_used_at: null,
        is_active: true,
        created_at: new Date(Date.now() - k * 60_000).toISOString(),
        created_by: null,
        revoked_at: null,
        revoked_by: null
      })
      fps.push([await fingerprint.of(plaintext), id])
      if (k % 1000 === 0) plaintexts.push(plaintext)
    }
    await filler.syncKeys(tenant, keys, Date.now())
    db.transaction(() => {
      for (const [fp, id] of fps) putFp.run(fp, tenant, id, Date.now())
    })()
  }
  await filler.close()
  const fillMs = performance.now() - fill

  const store = createStoreClient({ path, dataKey, log: silentLogger, now: Date.now })
  const deps = {
    store,
    profiles: { list: async () => profiles },
    adminKeys: { recordFor: async () => null },
    guard: { levelFor: async () => 'protected' as const },
    fingerprint,
    now: Date.now
  }
  const time = async (text: string) => {
    const t0 = performance.now()
    const { keys } = extractKeys(text)
    const findings = await matchKeys(
      deps,
      keys.map((key, i) => ({ ref: String(i), key }))
    )
    return { ms: performance.now() - t0, findings }
  }
  // Warm: the worker opened, statements prepared.
  await time(plaintexts[0]!)
  const exact: number[] = []
  const candidate: number[] = []
  const unknown: number[] = []
  const log: number[] = []
  for (let i = 0; i < LOOKUPS; i++) {
    const known = plaintexts[i % plaintexts.length]!
    const r = await time(known)
    if (r.findings[0]?.result !== 'exact') throw new Error('a stored key did not match exactly')
    exact.push(r.ms)
    // Same preview, another body: found by preview only.
    const alike = `${known.slice(0, 9)}${randomBase62(28)}${known.slice(-4)}`
    const c = await time(alike)
    if (c.findings[0]?.result !== 'possible') throw new Error('a same-preview key was not a candidate')
    candidate.push(c.ms)
    unknown.push((await time(`mqu_live_${randomBase62(32)}`)).ms)
    log.push((await time(`INFO a=${known}\nWARN b=${alike}\nDEBUG c=mqu_test_${randomBase62(32)}`)).ms)
  }
  await store.close()
  const stats = (name: string, samples: number[]): BenchResult[] => [
    { name: `${name}, p50`, value: percentile(samples, 50), unit: 'ms', budget: 50 },
    { name: `${name}, p95`, value: percentile(samples, 95), unit: 'ms', budget: 50 },
    { name: `${name}, max`, value: Math.max(...samples), unit: 'ms', budget: 50 }
  ]
  return [
    { name: `fill: ${TENANTS} tenants × ${KEYS} keys, each fingerprinted (not a budget)`, value: fillMs / 1000, unit: 's' },
    ...stats('pasted key KeyDesk made → exact', exact),
    ...stats('same preview, other key → possible', candidate),
    ...stats('unknown key → no match', unknown),
    ...stats('log excerpt with 3 keys', log)
  ]
}

if (process.argv[1]?.endsWith('triage.ts')) {
  triageLookup().then(
    (results) => process.stdout.write(`${formatResults(`Leak triage lookup: ${TENANTS} tenants × ${KEYS} keys, store on its worker`, results)}\n`),
    (err) => {
      process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
      process.exit(1)
    }
  )
}
