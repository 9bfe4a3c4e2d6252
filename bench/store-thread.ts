// The fleet store on its own thread (createCore's store: 'worker') against the store in main's
// thread (store: 'in-process', the behaviour before the worker), measured in the same run, back
// to back: main's longest event-loop stall during the store's heavy calls, the worker's own time
// for a first sync, filling a fleet from the sandbox, search, heap, and the database's size.
// Figures only; nothing here is asserted.
import { existsSync, mkdirSync, mkdtempSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance as nodePerformance } from 'node:perf_hooks'
import { Worker } from 'node:worker_threads'
import { createCore, STORE_FILE, type Core } from '../src/main/core'
import { createDataKeyProvider } from '../src/main/core/store/data-key'
import { createFleetStore } from '../src/main/core/store/fleet-store'
import { createJournalTable } from '../src/main/core/store/journal-table'
import { createMetaTable } from '../src/main/core/store/meta-table'
import { createExportSaver } from '../src/main/core/fs/export-file'
import { silentLogger } from '../src/main/core/log'
import { createMemorySecretStore } from '../src/main/core/tenants/memory-store'
import type { SecretStore } from '../src/main/core/tenants/secret-store'
import type { ApiKey } from '../src/shared/meshqu'
import type { SandboxThreadReady } from './sandbox-thread'
import type { CallTiming, WorkerHeap } from './store-worker-timed'
import { percentile, type Comparison } from './stats'

/** Tenants filled from the sandbox, keys each (default the full fleet), and first syncs probed one at a time. */
const TENANTS = Number(process.env.BENCH_STORE_TENANTS ?? 50)
const KEYS = Number(process.env.BENCH_STORE_KEYS ?? 10_000)
const PROBES = Number(process.env.BENCH_STORE_PROBES ?? 3)
/** Tenants listed at once while filling, on both sides (the app lists touched tenants in parallel). */
const FILL_PARALLEL = 2
const JOURNAL_ENTRIES = 50_000

type Mode = 'in-process' | 'worker'
const MODES: Mode[] = ['in-process', 'worker']

/**
 * Runs `work` with a 1 ms timer on main's loop: the longest gap between its ticks (how long the
 * loop stood still, as bench/fleet.ts measures it), and the longest stretch the loop was busy
 * between two ticks (event-loop utilization's active time). On shared cores the gap also holds
 * time main was runnable but not running, or waiting idle for a core; the busy stretch is main's
 * own work (still stretched when it is descheduled mid-task).
 */
async function withStallProbe<T>(work: () => Promise<T>): Promise<{ value: T; ms: number; stallMs: number; busyMs: number }> {
  let last = performance.now()
  let elu = nodePerformance.eventLoopUtilization()
  let gap = 0
  let busy = 0
  const tick = setInterval(() => {
    const at = performance.now()
    const now = nodePerformance.eventLoopUtilization()
    gap = Math.max(gap, at - last)
    busy = Math.max(busy, nodePerformance.eventLoopUtilization(now, elu).active)
    last = at
    elu = now
  }, 1)
  await new Promise((r) => setTimeout(r, 10))
  gap = 0
  busy = 0
  const t0 = performance.now()
  const value = await work()
  const ms = performance.now() - t0
  await new Promise((r) => setTimeout(r, 10))
  clearInterval(tick)
  return { value, ms, stallMs: gap, busyMs: busy }
}

const gc = () => (globalThis as { gc?: () => void }).gc?.()
const mb = (bytes: number) => bytes / 1024 / 1024
const fileSize = (path: string) => (existsSync(path) ? statSync(path).size : 0)

/** A sandbox of `tenants` × `keys` on its own thread. */
async function sandboxThread(tenants: number, keys: number): Promise<{ ready: SandboxThreadReady; close: () => Promise<void> }> {
  const worker = new Worker(join(__dirname, 'sandbox-thread.ts'), {
    workerData: { tenants, keys },
    execArgv: ['--import', 'tsx'],
    name: 'bench-sandbox'
  })
  const ready = await new Promise<SandboxThreadReady>((resolve, reject) => {
    worker.once('message', resolve)
    worker.once('error', reject)
  })
  return {
    ready,
    close: async () => {
      worker.postMessage('close')
      await new Promise((r) => setTimeout(r, 200))
      await worker.terminate()
    }
  }
}

interface Side {
  mode: Mode
  dataDir: string
  secrets: SecretStore
  core?: Core
  /** KeyDesk's profile id per sandbox tenant id. */
  profile: Map<string, string>
  worker?: Worker
  timings: CallTiming[]
}

function openCore(side: Side): Core {
  const exportsDir = join(side.dataDir, 'exports')
  mkdirSync(exportsDir, { recursive: true })
  side.core = createCore({
    dataDir: side.dataDir,
    secretStore: side.secrets,
    logger: silentLogger,
    timeoutMs: 60_000,
    expiryCheckEveryMs: false,
    store: side.mode,
    // The Electron shell's saver: the path is picked, then the store's side writes the report.
    fileSaver: createExportSaver(async (name) => join(exportsDir, name)),
    storeWorker: {
      launch: (path) =>
        new Worker(join(__dirname, 'store-worker-timed.ts'), { workerData: { path }, execArgv: ['--import', 'tsx'], name: 'keydesk-store' }),
      onWorker: (w) => {
        side.worker = w
        w.on('message', (m: { type?: string }) => {
          if (m.type === 'bench-timing') side.timings.push(m as CallTiming)
        })
      }
    }
  })
  return side.core
}

async function ok<T>(label: string, reply: Promise<{ ok: true; data: unknown } | { ok: false; error: { message: string } }>): Promise<T> {
  const r = await reply
  if (!r.ok) throw new Error(`${label}: ${r.error.message}`)
  return r.data as T
}

/** The worker's heap after a GC there (its own isolate; main's heapUsed does not include it). */
async function workerHeap(w: Worker): Promise<number> {
  return new Promise((resolve) => {
    const on = (m: WorkerHeap | { type?: string }) => {
      if (m.type !== 'bench-heap') return
      w.off('message', on)
      resolve((m as WorkerHeap).heapUsed)
    }
    w.on('message', on)
    w.postMessage({ type: 'bench-heap' })
  })
}

/** Checkpoints the closed store's WAL into the file (TRUNCATE) and reports both files' sizes. */
async function checkpointed(side: Side): Promise<{ db: number; wal: number }> {
  const raw = createFleetStore({
    path: join(side.dataDir, STORE_FILE),
    dataKey: createDataKeyProvider(side.secrets, { lockDir: side.dataDir }),
    log: silentLogger,
    now: Date.now
  })
  ;(await raw.database()).pragma('wal_checkpoint(TRUNCATE)')
  const sizes = { db: fileSize(join(side.dataDir, STORE_FILE)), wal: fileSize(join(side.dataDir, `${STORE_FILE}-wal`)) }
  raw.close()
  return sizes
}

/** `count` chained journal entries, written straight into the closed store (setup, not measured). */
async function seedJournal(side: Side, tenants: string[], count: number) {
  const raw = createFleetStore({
    path: join(side.dataDir, STORE_FILE),
    dataKey: createDataKeyProvider(side.secrets, { lockDir: side.dataDir }),
    log: silentLogger,
    now: Date.now
  })
  const db = await raw.database()
  const journal = createJournalTable(db, createMetaTable(db))
  const at = Date.now() - count * 1000
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const tenant = tenants[i % tenants.length]!
      journal.append({
        at: at + i * 1000,
        tenantId: tenant,
        tenantLabel: `tenant-${i % tenants.length}`,
        action: i % 3 === 0 ? 'key.create' : 'key.revoke',
        outcome: i % 17 === 0 ? 'failed' : 'ok',
        errorCode: i % 17 === 0 ? 'UPSTREAM' : null,
        keyId: `key_${i}`,
        keyName: `service-prod-${i}`,
        keyPreview: `mqu_test_…${String(i).padStart(4, '0')}`,
        reason: i % 5 === 0 ? 'rotation after an audit finding' : null,
        detail: i % 3 === 0 ? 'Scopes: decisions:evaluate.' : null,
        jobId: null,
        refSeq: null
      })
    }
  })()
  raw.close()
}

export async function storeThread(): Promise<{ comparisons: Comparison[]; notes: string[] }> {
  const comparisons: Comparison[] = []
  const notes: string[] = []
  const add = (c: Comparison) => comparisons.push(c)
  const pair = (name: string, unit: string, of: (m: Mode) => number, goal?: number, atMost?: boolean) =>
    add({ name, unit, before: of('in-process'), after: of('worker'), goal, atMost })

  const seedStart = performance.now()
  const sandbox = await sandboxThread(TENANTS + PROBES, KEYS)
  notes.push(
    `sandbox: ${TENANTS + PROBES} tenants × ${KEYS} keys on its own thread, seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`
  )
  const fillTenants = sandbox.ready.tenants.slice(0, TENANTS)
  const probeTenants = sandbox.ready.tenants.slice(TENANTS)

  const sides = new Map<Mode, Side>(
    MODES.map((mode) => [
      mode,
      {
        mode,
        dataDir: mkdtempSync(join(tmpdir(), `keydesk-bench-store-${mode}-`)),
        secrets: createMemorySecretStore(),
        profile: new Map(),
        timings: []
      }
    ])
  )
  const side = (m: Mode) => sides.get(m)!

  try {
    // Profiles: every sandbox tenant, on both sides.
    for (const s of sides.values()) {
      const core = openCore(s)
      for (const t of sandbox.ready.tenants) {
        const added = await ok<{ id: string }>(
          'tenants.add',
          core.invoke('tenants.add', { label: t.name, tenantId: t.id, baseUrl: sandbox.ready.url, environment: 'staging', adminKey: t.admin_key })
        )
        s.profile.set(t.id, added.id)
      }
    }

    // 3. Filling the fleet from the sandbox: keys.listAll of every tenant, FILL_PARALLEL at a time.
    const fillMs = new Map<Mode, number>()
    const fillStall = new Map<Mode, number>()
    const fillBusy = new Map<Mode, number>()
    const walAfterFill = new Map<Mode, number>()
    for (const mode of MODES) {
      const s = side(mode)
      const queue = fillTenants.map((t) => s.profile.get(t.id)!)
      const probed = await withStallProbe(async () => {
        await Promise.all(
          Array.from({ length: FILL_PARALLEL }, async () => {
            for (let id = queue.shift(); id; id = queue.shift()) {
              const r = await ok<{ keys: ApiKey[] }>('keys.listAll', s.core!.invoke('keys.listAll', { tenant: id }))
              if (r.keys.length !== KEYS) throw new Error(`keys.listAll: ${r.keys.length} keys, expected ${KEYS}`)
            }
          })
        )
        // The last sync's reply is the end of the fill (listAll answers after the store has it).
      })
      fillMs.set(mode, probed.ms)
      fillStall.set(mode, probed.stallMs)
      fillBusy.set(mode, probed.busyMs)
      walAfterFill.set(mode, fileSize(join(s.dataDir, `${STORE_FILE}-wal`)))
    }
    pair(
      `fill the fleet from the sandbox: ${TENANTS} tenants × ${KEYS} keys (keys.listAll, ${FILL_PARALLEL} at a time), wall`,
      'ms',
      (m) => fillMs.get(m)!,
      100_000,
      true
    )
    pair("filling: main's longest event-loop stall", 'ms', (m) => fillStall.get(m)!)
    pair("filling: main's longest busy stretch", 'ms', (m) => fillBusy.get(m)!)

    // 1, 2. A first sync of one 10,000-key tenant into the filled store, alone, sides alternating.
    const firstStall = new Map<Mode, number[]>(MODES.map((m) => [m, []]))
    const firstMs = new Map<Mode, number[]>(MODES.map((m) => [m, []]))
    const firstBusy = new Map<Mode, number[]>(MODES.map((m) => [m, []]))
    const syncWorkMs: number[] = []
    for (const t of probeTenants) {
      for (const mode of MODES) {
        const s = side(mode)
        s.timings.length = 0
        const probed = await withStallProbe(() =>
          ok<{ keys: ApiKey[] }>('keys.listAll', s.core!.invoke('keys.listAll', { tenant: s.profile.get(t.id)! }))
        )
        firstStall.get(mode)!.push(probed.stallMs)
        firstBusy.get(mode)!.push(probed.busyMs)
        firstMs.get(mode)!.push(probed.ms)
        if (mode === 'worker') syncWorkMs.push(...s.timings.filter((x) => x.path === 'syncKeys').map((x) => x.ms))
      }
    }
    if (probeTenants.length) {
      const p50 = (m: Mode, of: Map<Mode, number[]>) => percentile(of.get(m)!, 50)
      pair(
        `first sync of a ${KEYS}-key tenant (keys.listAll from the sandbox, store filled): main's longest stall, p50 of ${PROBES}`,
        'ms',
        (m) => p50(m, firstStall),
        20
      )
      pair("first sync: main's longest stall, max", 'ms', (m) => Math.max(...firstStall.get(m)!), 20)
      pair("first sync: main's longest busy stretch, p50", 'ms', (m) => p50(m, firstBusy), 20)
      // In process the sync is one synchronous transaction on main, so its time is main's longest stall.
      add({
        name: `first sync: the store's work (worker: syncKeys call → reply, timed in the worker; in process: main's stall), p50`,
        unit: 'ms',
        before: p50('in-process', firstStall),
        after: percentile(syncWorkMs, 50),
        goal: 600,
        atMost: true
      })
      pair('first sync: keys.listAll answered (network + store), p50', 'ms', (m) => p50(m, firstMs))
    }

    for (const s of sides.values()) await s.core!.dispose()

    // 6. The database's size: the WAL as the fill left it, and the file after a checkpoint.
    const storedKeys = (TENANTS + PROBES) * KEYS
    const sizes = new Map<Mode, { db: number; wal: number }>()
    for (const mode of MODES) sizes.set(mode, await checkpointed(side(mode)))
    pair(`WAL after filling the fleet (${TENANTS} tenants)`, 'MB', (m) => mb(walAfterFill.get(m)!))
    pair(`database bytes per stored key after a checkpoint (${storedKeys} keys, journal empty)`, 'B', (m) => sizes.get(m)!.db / storedKeys)
    pair('database file after a checkpoint', 'MB', (m) => mb(sizes.get(m)!.db))

    // 4, 5. The fleet's heavy reads, one side at a time (each alone in the process, for the heap).
    const stall = new Map<string, Map<Mode, number>>()
    const time = new Map<string, Map<Mode, number>>()
    const busy = new Map<string, Map<Mode, number>>()
    const put = (into: Map<string, Map<Mode, number>>, name: string, mode: Mode, v: number) =>
      into.set(name, (into.get(name) ?? new Map<Mode, number>()).set(mode, v))
    for (const mode of MODES) {
      const s = side(mode)
      const profiles = fillTenants.map((t) => s.profile.get(t.id)!)
      await seedJournal(s, profiles, JOURNAL_ENTRIES)
      gc()
      const heapBefore = process.memoryUsage().heapUsed
      const core = openCore(s)
      // Nothing in flight: what the probe reads on this machine as it is (other jobs on the cores).
      const idle = await withStallProbe(() => new Promise((r) => setTimeout(r, 1000)))
      put(stall, 'idle', mode, idle.stallMs)
      put(busy, 'idle', mode, idle.busyMs)

      const lists: ApiKey[][] = []
      const fromStoreStall: number[] = []
      const fromStoreBusy: number[] = []
      const fromStoreMs: number[] = []
      for (const id of profiles.slice(0, 6)) {
        const probed = await withStallProbe(() => ok<{ keysJson: string }>('keys.fromStore', core.invoke('keys.fromStore', { tenant: id })))
        fromStoreStall.push(probed.stallMs)
        fromStoreBusy.push(probed.busyMs)
        fromStoreMs.push(probed.ms)
        // Parsed after the probe: the renderer parses it, not main.
        lists.push(JSON.parse(probed.value.keysJson) as ApiKey[])
      }
      // The first read opens the store (and its worker): the stall of a warm read is the figure.
      put(stall, 'fromStore', mode, Math.max(...fromStoreStall.slice(1)))
      put(busy, 'fromStore', mode, Math.max(...fromStoreBusy.slice(1)))
      put(time, 'fromStore', mode, percentile(fromStoreMs.slice(1), 50))

      // The same questions as bench/fleet.ts's search, from keys every 997th of a few tenants.
      const sample = lists.flatMap((l) => l.filter((_, i) => i % 997 === 0))
      lists.length = 0
      const queries: { text?: string; scope?: string }[] = [
        ...sample.slice(0, 20).map((k) => ({ text: k.key_preview })),
        ...sample.slice(0, 20).map((k) => ({ text: k.id.slice(0, 13) })),
        ...sample.slice(0, 20).map((k) => ({ text: k.name.slice(2, 12) })),
        ...['billing', 'risk-eng', 'prod-0', 'qa', 'zz', '"quoted', 'NEAR(x', 'ledger sync', 'x7', 'webhook'].map((text) => ({ text })),
        { scope: 'api-keys:admin' },
        { scope: 'audit:admin', text: 'prod' }
      ]
      const searchMs: number[] = []
      const searchStall: number[] = []
      const searchBusy: number[] = []
      for (let round = 0; round < 3; round++) {
        for (const q of queries) {
          const probed = await withStallProbe(() => ok('keys.searchAll', core.invoke('keys.searchAll', { ...q, limit: 200 })))
          searchMs.push(probed.ms)
          searchStall.push(probed.stallMs)
          searchBusy.push(probed.busyMs)
        }
      }
      put(time, 'search p50', mode, percentile(searchMs, 50))
      put(time, 'search p95', mode, percentile(searchMs, 95))
      put(stall, 'search', mode, Math.max(...searchStall))
      put(stall, 'search p95', mode, percentile(searchStall, 95))
      put(busy, 'search', mode, Math.max(...searchBusy))

      for (const format of ['csv', 'json'] as const) {
        const probed = await withStallProbe(() =>
          ok<{ rows: number; saved: boolean }>('radar.report', core.invoke('radar.report', { format, save: true }))
        )
        if (!probed.value.saved) throw new Error(`radar.report ${format}: not saved`)
        put(time, 'report rows', mode, probed.value.rows)
        put(stall, `report ${format}`, mode, probed.stallMs)
        put(busy, `report ${format}`, mode, probed.busyMs)
        put(time, `report ${format}`, mode, probed.ms)
      }

      const verified = await withStallProbe(() => ok<{ intact: boolean; checked: number }>('journal.verify', core.invoke('journal.verify', {})))
      if (!verified.value.intact || verified.value.checked < JOURNAL_ENTRIES)
        throw new Error(`journal.verify: the seeded chain does not verify: ${JSON.stringify(verified.value)}`)
      put(stall, 'verify', mode, verified.stallMs)
      put(busy, 'verify', mode, verified.busyMs)
      put(time, 'verify', mode, verified.ms)

      gc()
      put(time, 'heap', mode, mb(process.memoryUsage().heapUsed))
      put(time, 'heap added', mode, mb(process.memoryUsage().heapUsed - heapBefore))
      if (mode === 'worker' && s.worker) put(time, 'worker heap', mode, mb(await workerHeap(s.worker)))
      await core.dispose()
    }
    const both = (into: Map<string, Map<Mode, number>>, key: string) => (m: Mode) => into.get(key)?.get(m) ?? NaN
    pair(`keys.fromStore of a ${KEYS}-key tenant: main's longest stall (max of 5)`, 'ms', both(stall, 'fromStore'), 20)
    pair(`keys.fromStore: main's longest busy stretch (max of 5)`, 'ms', both(busy, 'fromStore'), 20)
    pair(`keys.fromStore of a ${KEYS}-key tenant, p50`, 'ms', both(time, 'fromStore'))
    pair(`cross-tenant search (keys.searchAll) over ${storedKeys} keys, p50`, 'ms', both(time, 'search p50'), 30)
    pair('cross-tenant search, p95', 'ms', both(time, 'search p95'), 100)
    pair("cross-tenant search: main's longest stall, max of 216", 'ms', both(stall, 'search'), 20)
    pair("cross-tenant search: main's longest stall, p95", 'ms', both(stall, 'search p95'))
    pair("cross-tenant search: main's longest busy stretch, max of 216", 'ms', both(busy, 'search'), 20)
    for (const format of ['csv', 'json']) {
      pair(`radar.report ${format.toUpperCase()}, whole fleet, saved: main's longest stall`, 'ms', both(stall, `report ${format}`), 20)
      pair(`radar.report ${format.toUpperCase()}: main's longest busy stretch`, 'ms', both(busy, `report ${format}`), 20)
      pair(`radar.report ${format.toUpperCase()}: answered`, 'ms', both(time, `report ${format}`))
    }
    pair('radar.report: rows', '', both(time, 'report rows'))
    pair(`journal.verify over ${JOURNAL_ENTRIES} entries: main's longest stall`, 'ms', both(stall, 'verify'), 20)
    pair("journal.verify: main's longest busy stretch", 'ms', both(busy, 'verify'), 20)
    pair('journal.verify: answered', 'ms', both(time, 'verify'))
    pair('main heap with the fleet stored, after GC (whole bench process)', 'MB', both(time, 'heap'), 150)
    pair('main heap added by opening the core and these reads', 'MB', both(time, 'heap added'))
    const wh = time.get('worker heap')?.get('worker')
    if (wh !== undefined) notes.push(`the store worker's own heap after a GC there: ${wh.toFixed(1)} MB (not in main's figure)`)
    pair("noise floor: main's longest stall with nothing in flight (1 s)", 'ms', both(stall, 'idle'))
    pair("noise floor: main's longest busy stretch with nothing in flight", 'ms', both(busy, 'idle'))
  } finally {
    for (const s of sides.values()) await s.core?.dispose()
    await sandbox.close()
  }
  return { comparisons, notes }
}
