// 50 tenants × 10,000 keys in the fleet store: cross-tenant search, counts, incremental sync,
// start-up to a cached list, main heap, and a cold switch painted in Chromium from the store.
// Budgets: issue 11 / ARCHITECTURE.md. Figures only; nothing here is asserted.
import { randomUUID } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium } from '@playwright/test'
import { createCore, STORE_FILE, type Core } from '../src/main/core'
import { createDataKeyProvider } from '../src/main/core/store/data-key'
import { silentLogger } from '../src/main/core/log'
import { createFleetStore } from '../src/main/core/store/fleet-store'
import { createMemorySecretStore } from '../src/main/core/tenants/memory-store'
import type { SecretStore } from '../src/main/core/tenants/secret-store'
import type { ApiKey } from '../src/shared/meshqu'
import { generateSeedKeys } from '../src/sandbox/seed'
import { toApiKey } from '../src/sandbox/records'
import { startWebServer } from '../src/main/web/server'
import { chromiumLaunchOptions } from '../test/e2e/harness/chromium'
import { percentile, type BenchResult } from './stats'

const ROOT = resolve(__dirname, '..')
const TENANTS = Number(process.env.BENCH_FLEET_TENANTS ?? 50)
const KEYS = Number(process.env.BENCH_FLEET_KEYS ?? 10_000)
/** `cold-switch`: only the fill and the cold switch in Chromium (the figures a renderer change moves). */
const PART = process.env.BENCH_FLEET_PART ?? 'all'
/**
 * A data dir kept between runs: the first run fills it, later ones (cold switch only) reuse it, so
 * code before and after a change can be measured back to back on the same store without a
 * ~4-minute fill each time. It holds the bench's throwaway data key (kept.json): /tmp only.
 */
const KEEP_DIR = process.env.BENCH_FLEET_DIR
/** Tenants switched to in the cold switch; the first two are warm-up, not counted. */
const SWITCHES = Number(process.env.BENCH_FLEET_SWITCHES ?? 12)

interface Kept {
  secrets: Record<string, string>
  port: number
  tenants: number
  keys: number
}

/** A base URL that accepts connections and never answers: only the store can paint. */
async function silentServer(port = 0): Promise<{ url: string; server: Server }> {
  const server = createServer(() => {})
  await new Promise<void>((r, reject) => server.once('error', reject).listen(port, '127.0.0.1', r))
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server }
}

/**
 * Runs `work`, timing it and the longest gap between ticks of a 1 ms timer meanwhile: how long
 * main's event loop stood still. (monitorEventLoopDelay's max read ~10 ms over a 4 s stall here.)
 */
async function withStallProbe<T>(work: () => Promise<T>): Promise<{ value: T; ms: number; stallMs: number }> {
  let last = performance.now()
  let gap = 0
  const tick = setInterval(() => {
    const at = performance.now()
    gap = Math.max(gap, at - last)
    last = at
  }, 1)
  await new Promise((r) => setTimeout(r, 10))
  gap = 0
  last = performance.now()
  const t0 = performance.now()
  const value = await work()
  const ms = performance.now() - t0
  await new Promise((r) => setTimeout(r, 10))
  clearInterval(tick)
  return { value, ms, stallMs: gap }
}

const gc = () => (globalThis as { gc?: () => void }).gc?.()
const mb = (bytes: number) => bytes / 1024 / 1024

export async function fleet(): Promise<BenchResult[]> {
  const results: BenchResult[] = []
  const keptFile = KEEP_DIR ? join(KEEP_DIR, 'kept.json') : undefined
  const keptRun = keptFile && existsSync(keptFile) ? (JSON.parse(readFileSync(keptFile, 'utf8')) as Kept) : undefined
  if (KEEP_DIR) mkdirSync(KEEP_DIR, { recursive: true })
  const dataDir = KEEP_DIR ?? mkdtempSync(join(tmpdir(), 'keydesk-bench-fleet-'))
  const secrets = createMemorySecretStore(keptRun?.secrets)
  // The profiles name this server's port: a kept store listens on the same one, so MeshQu stays
  // silent (a refused connection would answer keys.listAll from the store at once).
  const silent = await silentServer(keptRun?.port ?? 0)
  if (keptRun) {
    if (PART !== 'cold-switch') throw new Error(`${KEEP_DIR} is filled already: reuse it with BENCH_FLEET_PART=cold-switch`)
    results.push(...(await coldSwitch(dataDir, secrets, keptRun.tenants, keptRun.keys)))
    silent.server.close()
    return results
  }
  const now = Date.now()

  // 50 tenant profiles (saved offline: nothing to verify against) and their keys in the store.
  const setup = createCore({ dataDir, secretStore: secrets, logger: silentLogger, timeoutMs: 60_000 })
  const ids: string[] = []
  for (let t = 0; t < TENANTS; t++) {
    const r = await setup.invoke('tenants.add', {
      label: `tenant-${String(t).padStart(2, '0')}`,
      tenantId: randomUUID(),
      baseUrl: silent.url,
      environment: t % 5 === 0 ? 'production' : 'staging',
      adminKey: `mqk_${randomUUID().replaceAll('-', '')}`,
      skipVerify: true
    })
    if (!r.ok) throw new Error(r.error.message)
    ids.push((r.data as { id: string }).id)
  }
  await setup.dispose()
  const store = createFleetStore({
    path: join(dataDir, STORE_FILE),
    dataKey: createDataKeyProvider(secrets, { lockDir: dataDir }),
    log: silentLogger,
    now: () => now
  })
  // Only the first tenant's list and a sample stay in this process: the heap figure below must
  // measure the core, not the bench's own copy of the fleet.
  let firstList: ApiKey[] = []
  const sample: ApiKey[] = []
  const fillStart = performance.now()
  // A first sync is one transaction on main's thread (atomic by design, issue 11): how long the
  // event loop stands still meanwhile.
  const firstSyncMs: number[] = []
  const stallMs: number[] = []
  for (const [t, id] of ids.entries()) {
    const keys = generateSeedKeys(id, KEYS, now, 1).keys.map((k) => toApiKey(k, now))
    if (t === 0) firstList = keys
    if (t % 7 === 0) sample.push(...keys.filter((_, i) => i % 997 === 0))
    const probed = await withStallProbe(() => store.syncKeys(id, keys, now))
    firstSyncMs.push(probed.ms)
    stallMs.push(probed.stallMs)
  }
  results.push({ name: `fill the store: ${TENANTS} tenants × ${KEYS} keys (first sync each)`, value: performance.now() - fillStart, unit: 'ms' })
  results.push({ name: `first sync of a ${KEYS}-key tenant (one transaction), p50`, value: percentile(firstSyncMs, 50), unit: 'ms' })
  results.push({ name: "first sync: main's event loop stalled for (longest gap of a 1 ms timer), p50", value: percentile(stallMs, 50), unit: 'ms' })
  results.push({ name: 'first sync: event-loop stall, max', value: Math.max(...stallMs), unit: 'ms' })
  if (KEEP_DIR) {
    const all = Object.fromEntries(await Promise.all((await secrets.list()).map(async (a) => [a, (await secrets.get(a))!] as const)))
    const port = Number(new URL(silent.url).port)
    writeFileSync(keptFile!, JSON.stringify({ secrets: all, port, tenants: TENANTS, keys: KEYS } satisfies Kept), { mode: 0o600 })
  }
  if (PART === 'cold-switch') {
    store.close()
    results.push(...(await coldSwitch(dataDir, secrets, TENANTS, KEYS)))
    silent.server.close()
    return results
  }

  // Incremental sync of one tenant with 1% changed: the main-thread time of the transaction.
  const syncMs: number[] = []
  for (let round = 1; round <= 7; round++) {
    const changed = firstList.map((k, i) => (i % 100 === round ? { ...k, last_used_at: new Date(now + round * 1000).toISOString() } : k))
    const t0 = performance.now()
    await store.syncKeys(ids[0]!, changed, now + round)
    syncMs.push(performance.now() - t0)
  }
  results.push({ name: `incremental sync of ${KEYS} keys, 1% changed (main thread), p50`, value: percentile(syncMs, 50), unit: 'ms', budget: 300 })
  store.close()

  // Start-up: a new core on the data dir, to the active tenant's cached list.
  gc()
  const heapBefore = process.memoryUsage().heapUsed
  const startT0 = performance.now()
  const core = createCore({ dataDir, secretStore: secrets, logger: silentLogger, timeoutMs: 60_000 })
  const list = await core.invoke('tenants.list', {})
  if (!list.ok) throw new Error(list.error.message)
  const active = (list.data as { tenants: { id: string }[] }).tenants[0]!.id
  const cached = await core.invoke('keys.fromStore', { tenant: active })
  const startMs = performance.now() - startT0
  if (!cached.ok || !cached.data) throw new Error('no cached list')
  results.push({ name: `start-up to the active tenant's cached list (${TENANTS} tenants stored)`, value: startMs, unit: 'ms', budget: 500 })

  // keys.fromStore alone, in process (store read + router), for tenants the Chromium part below
  // does not switch to: the main side of a cold switch, without the transport and the render.
  const storeReadMs: number[] = []
  for (const id of ids.slice(13, 25)) {
    const t0 = performance.now()
    const r = await core.invoke('keys.fromStore', { tenant: id })
    storeReadMs.push(performance.now() - t0)
    if (!r.ok || !r.data) throw new Error('no cached list')
  }
  if (storeReadMs.length) {
    results.push({
      name: `keys.fromStore of a ${KEYS}-key tenant through the router (in process), p50`,
      value: percentile(storeReadMs, 50),
      unit: 'ms'
    })
  }

  // Cross-tenant search through the core (router validation included), over varied questions.
  const queries: { text?: string; scope?: string }[] = [
    ...sample.slice(0, 20).map((k) => ({ text: k.key_preview })),
    ...sample.slice(0, 20).map((k) => ({ text: k.id.slice(0, 13) })),
    ...sample.slice(0, 20).map((k) => ({ text: k.name.slice(2, 12) })),
    ...['billing', 'risk-eng', 'prod-0', 'qa', 'zz', '"quoted', 'NEAR(x', 'ledger sync', 'x7', 'webhook'].map((text) => ({ text })),
    { scope: 'api-keys:admin' },
    { scope: 'audit:admin', text: 'prod' }
  ]
  const searchMs: number[] = []
  let hits = 0
  for (let round = 0; round < 3; round++) {
    for (const q of queries) {
      const t0 = performance.now()
      const r = await core.invoke('keys.searchAll', { ...q, limit: 200 })
      searchMs.push(performance.now() - t0)
      if (!r.ok) throw new Error(`search ${JSON.stringify(q)}: ${r.error.message}`)
      hits += (r.data as { hits: unknown[] }).hits.length
    }
  }
  results.push({
    name: `cross-tenant search over ${TENANTS * KEYS} keys, p50 (${queries.length} questions × 3)`,
    value: percentile(searchMs, 50),
    unit: 'ms',
    budget: 30
  })
  results.push({ name: 'cross-tenant search, p95', value: percentile(searchMs, 95), unit: 'ms', budget: 100 })
  results.push({ name: 'cross-tenant search, max', value: Math.max(...searchMs), unit: 'ms' })
  results.push({ name: 'hits returned per search (mean)', value: hits / searchMs.length, unit: '' })

  const countMs: number[] = []
  for (let i = 0; i < 10; i++) {
    const t0 = performance.now()
    const r = await core.invoke('fleet.counts', {})
    countMs.push(performance.now() - t0)
    if (!r.ok) throw new Error(r.error.message)
  }
  results.push({ name: 'counts per tenant for the sidebar (fleet.counts), p50', value: percentile(countMs, 50), unit: 'ms' })

  // The radar's counts: every category for every tenant, from the store (issue 14 §1).
  const radarMs: number[] = []
  let radarStallMs = NaN
  let findings = 0
  for (let i = 0; i < 10; i++) {
    const probed = await withStallProbe(() => core.invoke('radar.summary', {}))
    radarMs.push(probed.ms)
    if (i === 0) radarStallMs = probed.stallMs
    const r = probed.value
    if (!r.ok) throw new Error(r.error.message)
    findings = (r.data as { tenants: { findings: number }[] }).tenants.reduce((n, t) => n + t.findings, 0)
  }
  // The first call here has nothing kept (the store was filled by syncs alone): it counts every
  // tenant from the indexes and keeps the counts (radar_counts); later calls add what changed.
  results.push({ name: `radar counts, every category × ${TENANTS} tenants, first count of a fleet (nothing kept)`, value: radarMs[0]!, unit: 'ms' })
  results.push({ name: "radar counts, first count: main's event loop stalled for, at most", value: radarStallMs, unit: 'ms' })
  results.push({ name: 'radar counts, repeated calls, p50', value: percentile(radarMs.slice(1), 50), unit: 'ms', budget: 100 })
  results.push({ name: 'radar findings across the fleet (badge sum)', value: findings, unit: '' })
  const drillMs: number[] = []
  for (const category of ['expiring-7d', 'unused', 'privileged', 'never-used', 'no-expiry']) {
    const t0 = performance.now()
    const r = await core.invoke('radar.keys', { category, limit: 200 })
    drillMs.push(performance.now() - t0)
    if (!r.ok) throw new Error(r.error.message)
  }
  results.push({ name: 'radar drill-down, first 200 keys of a category across tenants, p50', value: percentile(drillMs, 50), unit: 'ms' })

  gc()
  results.push({ name: 'main heap with the whole fleet stored (after GC)', value: mb(process.memoryUsage().heapUsed), unit: 'MB', budget: 150 })
  results.push({
    name: 'main heap added by opening the core and querying the fleet',
    value: mb(process.memoryUsage().heapUsed - heapBefore),
    unit: 'MB'
  })

  // A restart 12 hours later (issue 14's "< 100 ms from the store"): the radar starts from the
  // counts it kept and adds what changed in those hours. Then the same instant with the kept
  // counts dropped, counted in full: the two must agree, and the time shows what keeping saves.
  await core.dispose()
  const nextMorning = Date.now() + 12 * 60 * 60 * 1000
  const summaryAt = async (label: string) => {
    const c = createCore({ dataDir, secretStore: secrets, logger: silentLogger, timeoutMs: 60_000, now: () => nextMorning })
    try {
      const probed = await withStallProbe(() => c.invoke('radar.summary', {}))
      if (!probed.value.ok) throw new Error(`${label}: ${probed.value.error.message}`)
      return { ms: probed.ms, counts: JSON.stringify((probed.value.data as { tenants: { counts: unknown }[] }).tenants.map((t) => t.counts)) }
    } finally {
      await c.dispose()
    }
  }
  const kept = await summaryAt('kept')
  const raw = createFleetStore({
    path: join(dataDir, STORE_FILE),
    dataKey: createDataKeyProvider(secrets, { lockDir: dataDir }),
    log: silentLogger,
    now: () => now
  })
  ;(await raw.database()).exec('DELETE FROM radar_counts')
  raw.close()
  const full = await summaryAt('full')
  if (kept.counts !== full.counts) throw new Error('radar: the kept counts moved on 12 h differ from a full count at the same instant')
  results.push({
    name: `radar counts after a restart 12 h later, first call (kept counts + what changed, ${TENANTS} tenants)`,
    value: kept.ms,
    unit: 'ms',
    budget: 100
  })
  results.push({ name: 'radar counts after a restart 12 h later, nothing kept (full count; same counts)', value: full.ms, unit: 'ms' })
  results.push(...(await coldSwitch(dataDir, secrets, TENANTS, KEYS)))
  silent.server.close()
  return results
}

/**
 * Cold switch in Chromium: tenants the renderer has not loaded, MeshQu silent, rows from the store
 * of `dataDir` (filled with `tenants` × `keys`).
 */
async function coldSwitch(dataDir: string, secrets: SecretStore, tenants: number, keys: number): Promise<BenchResult[]> {
  const results: BenchResult[] = []
  // Replies travel the web preview's transport (src/main/web: HTTP + JSON, a path KeyDesk ships),
  // not Playwright's exposeFunction: the DevTools protocol takes ~1 s to carry a 4 MB reply into
  // the page (measured: Runtime.evaluate of a 3.9 MB string alone, 0.9–1.1 s), which Electron's
  // IPC does not pay; that harness cost had been most of this figure.
  if (existsSync(join(ROOT, 'out/renderer/index.html'))) {
    // A separate core whose MeshQu calls give up after 1 s (then 3 retries and the snapshot):
    // each switch's hung keys.listAll holds one of Chromium's 6 connections to the server, so
    // each is let finish before the next switch. Only keys.fromStore can paint within a switch.
    const core = createCore({ dataDir, secretStore: secrets, logger: silentLogger, timeoutMs: 1_000 })
    let inFlight = 0
    const counted: Core = {
      ...core,
      invoke: async (channel, payload) => {
        inFlight++
        try {
          return await core.invoke(channel, payload)
        } finally {
          inFlight--
        }
      }
    }
    const web = await startWebServer({ core: counted, rendererDir: join(ROOT, 'out/renderer'), log: silentLogger })
    const settled = async () => {
      while (inFlight > 0) await new Promise((r) => setTimeout(r, 50))
    }
    const browser = await chromium.launch(chromiumLaunchOptions())
    try {
      const page = await browser.newPage({ viewport: { width: 1360, height: 840 } })
      // tsx compiles this file with keepNames; the functions sent to the page call its __name helper.
      await page.addInitScript('globalThis.__name = (fn) => fn')
      await page.goto(web.launchUrl())
      await page.locator('.result-count').waitFor({ timeout: 60_000 })
      const coldMs: number[] = []
      const fullMs: number[] = []
      const headMs: number[] = []
      const replyMs: number[] = []
      for (let t = 1; t < Math.min(tenants, SWITCHES + 1); t++) {
        // The last switch's calls answered, and the page given time to take in their replies.
        await settled()
        await new Promise((r) => setTimeout(r, 500))
        const label = `tenant-${String(t).padStart(2, '0')}`
        const { ms, full, head, reply } = await page.evaluate(async (label) => {
          const button = [...document.querySelectorAll('nav[aria-label="Tenants"] button')].find(
            (b) => b.getAttribute('aria-label') === label
          ) as HTMLButtonElement
          performance.clearResourceTimings()
          const start = performance.now()
          button.click()
          await new Promise<void>((done) => {
            const check = () => {
              const ok = document.querySelector('h1')?.textContent === label && document.querySelectorAll('[role="grid"] [role="row"]').length > 5
              if (ok) requestAnimationFrame(() => done())
              else requestAnimationFrame(check)
            }
            check()
          })
          const end = performance.now()
          // First rows painted (above); then the whole list from the fleet store: the "loading the rest" status gone.
          await new Promise<void>((done) => {
            const check = () => {
              if (!document.querySelector('.rest-loading')) requestAnimationFrame(() => done())
              else requestAnimationFrame(check)
            }
            check()
          })
          const wholeEnd = performance.now()
          // The largest reply asked for by this switch is keys.fromStore's list: when its last byte arrived.
          const rpc = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter(
            (e) => e.name.endsWith('/rpc') && e.startTime >= start
          )
          const bySize = rpc.sort((a, b) => b.decodedBodySize - a.decodedBodySize)
          const biggest = bySize[0]
          // The first screenful (keys.fromStoreHead), when one was asked for: the second largest, tens of KB.
          const second = bySize[1]
          return {
            ms: end - start,
            full: wholeEnd - start,
            head: second && second.decodedBodySize > 10_000 ? second.responseEnd - start : NaN,
            reply: biggest ? biggest.responseEnd - start : NaN
          }
        }, label)
        if (t > 2) {
          coldMs.push(ms)
          fullMs.push(full)
          if (!Number.isNaN(head)) headMs.push(head)
          replyMs.push(reply)
        }
      }
      results.push({
        name: `cold switch to a tenant not loaded yet → painted rows from the store, p50 (${keys} keys)`,
        value: percentile(coldMs, 50),
        unit: 'ms',
        budget: 100
      })
      results.push({ name: 'cold switch, p95', value: percentile(coldMs, 95), unit: 'ms' })
      results.push({
        name: 'cold switch → the whole list from the fleet store painted (loading status gone), p50',
        value: percentile(fullMs, 50),
        unit: 'ms'
      })
      results.push({ name: 'cold switch → whole list from the fleet store painted, p95', value: percentile(fullMs, 95), unit: 'ms' })
      if (headMs.length) {
        results.push({
          name: "cold switch: the first screenful's last byte in the page (keys.fromStoreHead over HTTP), p50",
          value: percentile(headMs, 50),
          unit: 'ms'
        })
      }
      results.push({
        name: "cold switch: the fleet store's last byte in the page (keys.fromStore over HTTP), p50",
        value: percentile(replyMs, 50),
        unit: 'ms'
      })
      await settled()
    } finally {
      await browser.close()
      await web.close()
      await core.dispose()
    }
  }
  return results
}
