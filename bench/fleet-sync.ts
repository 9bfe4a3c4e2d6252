// Background sync of the whole fleet: N tenants × M keys on one sandbox host, listed by the fleet
// sync (sync.all) into the fleet store from empty. Reports the run's time, requests per tenant and
// main's longest stall meanwhile (the store issue's budget: 20 ms). Figures only; nothing asserted.
//   node --expose-gc --import tsx bench/fleet-sync.ts          (50 × 10,000)
//   BENCH_SYNC_TENANTS=10 BENCH_SYNC_KEYS=2000 node --import tsx bench/fleet-sync.ts
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import type { SandboxThreadReady } from './sandbox-thread'
import { createCore } from '../src/main/core'
import { silentLogger } from '../src/main/core/log'
import { createMemorySecretStore } from '../src/main/core/tenants/memory-store'
import type { SyncStatus } from '../src/shared/sync'
import { formatResults, percentile, type BenchResult } from './stats'

const TENANTS = Number(process.env.BENCH_SYNC_TENANTS ?? 50)
const KEYS = Number(process.env.BENCH_SYNC_KEYS ?? 10_000)

export async function fleetSync(): Promise<BenchResult[]> {
  // One host for the whole fleet, on its own thread (its HTTP and JSON work would otherwise show
  // up as main's stalls); its limit high enough that only the pacing sets the pace.
  const worker = new Worker(join(__dirname, 'sandbox-thread.ts'), {
    workerData: { tenants: TENANTS, keys: KEYS },
    execArgv: ['--import', 'tsx'],
    name: 'bench-sandbox'
  })
  const sandbox = await new Promise<SandboxThreadReady>((resolve, reject) => {
    worker.once('message', resolve)
    worker.once('error', reject)
  })
  const perTenant = new Map<string, number>()
  const countingFetch: typeof fetch = (input, init) => {
    const tenant = new Headers(init?.headers).get('x-meshqu-tenant-id') ?? '-'
    perTenant.set(tenant, (perTenant.get(tenant) ?? 0) + 1)
    return fetch(input, init)
  }
  const core = createCore({
    dataDir: mkdtempSync(join(tmpdir(), 'keydesk-bench-fleet-sync-')),
    secretStore: createMemorySecretStore(),
    logger: silentLogger,
    timeoutMs: 60_000,
    fetch: countingFetch
  })
  for (const [i, t] of sandbox.tenants.entries()) {
    const r = await core.invoke('tenants.add', {
      label: `tenant-${String(i).padStart(2, '0')}`,
      tenantId: t.id,
      baseUrl: sandbox.url,
      environment: 'staging',
      adminKey: t.admin_key
    })
    if (!r.ok) throw new Error(r.error.message)
  }
  await core.invoke('tenants.list', {})
  perTenant.clear()

  // Main's longest stall: the longest gap between ticks of a 1 ms timer while the run goes.
  let last = performance.now()
  let stall = 0
  const tick = setInterval(() => {
    const at = performance.now()
    stall = Math.max(stall, at - last)
    last = at
  }, 1)
  // The machine's own noise first: the longest gap over 3 s of doing nothing.
  await new Promise((r) => setTimeout(r, 20))
  stall = 0
  last = performance.now()
  await new Promise((r) => setTimeout(r, 3000))
  const idleStall = stall
  stall = 0
  last = performance.now()
  const t0 = performance.now()
  const started = await core.invoke('sync.all', {})
  if (!started.ok) throw new Error(started.error.message)
  let status = started.data as SyncStatus
  while (status.running) {
    await new Promise((r) => setTimeout(r, 100))
    const s = await core.invoke('sync.status', {})
    if (!s.ok) throw new Error(s.error.message)
    status = s.data as SyncStatus
  }
  const ms = performance.now() - t0
  clearInterval(tick)
  const requests = [...perTenant.entries()].filter(([t]) => t !== '-').map(([, n]) => n)
  const synced = status.tenants.filter((t) => t.state === 'synced').length
  await core.dispose()
  worker.postMessage('close')
  await new Promise((r) => setTimeout(r, 200))
  await worker.terminate()
  return [
    { name: `tenants synced (of ${TENANTS})`, value: synced, unit: 'tenants' },
    { name: `whole run, ${TENANTS} × ${KEYS.toLocaleString()} keys`, value: ms, unit: 'ms' },
    { name: 'requests per tenant, p50', value: percentile(requests, 50), unit: 'requests' },
    { name: 'requests per tenant, max', value: Math.max(...requests), unit: 'requests' },
    { name: "main's longest stall during the run", value: stall, unit: 'ms', budget: 20 },
    { name: "main's longest stall over 3 s idle, before the run (the machine's noise)", value: idleStall, unit: 'ms' }
  ]
}

if (process.argv[1]?.endsWith('fleet-sync.ts')) {
  void fleetSync().then((r) =>
    process.stdout.write(`${formatResults(`Fleet sync: ${TENANTS} tenants × ${KEYS.toLocaleString()} keys on one sandbox host`, r)}\n`)
  )
}
