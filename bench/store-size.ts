// The fleet store's size on disk and the cost of a first sync, beside the same figures for the
// schema before migration 6 (built in this process: the migrations up to 5, and the rows a first
// sync writes, in the same statements and order as fleet-store.ts). Figures only, never asserted.
import { randomBytes, randomUUID } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3-multiple-ciphers'
import type { Database as DatabaseType } from 'better-sqlite3'
import { createFleetStore } from '../src/main/core/store/fleet-store'
import { MIGRATIONS, SCHEMA_VERSION } from '../src/main/core/store/schema'
import { silentLogger } from '../src/main/core/log'
import type { ApiKey } from '../src/shared/meshqu'
import { generateSeedKeys } from '../src/sandbox/seed'
import { toApiKey } from '../src/sandbox/records'
import { percentile, type BenchResult } from './stats'

const TENANTS = Number(process.env.BENCH_STORE_TENANTS ?? 20)
const KEYS = Number(process.env.BENCH_STORE_KEYS ?? 10_000)
/** Fresh stores per schema for the first-sync figure, alternating old and new. */
const ROUNDS = Number(process.env.BENCH_STORE_ROUNDS ?? 5)
const BEFORE = 5

const mib = (bytes: number) => bytes / 1024 / 1024
const sizeOf = (path: string) => (existsSync(path) ? statSync(path).size : 0)
const seedKeys = (now: number): ApiKey[] => generateSeedKeys(randomUUID(), KEYS, now, 1).keys.map((k) => toApiKey(k, now))

/** A store at schema 5 as open-database.ts opened it then, and a first sync as fleet-store.ts wrote it. */
function schema5Store(path: string) {
  const key = randomBytes(32)
  const db = new Database(path) as unknown as DatabaseType
  db.pragma(`cipher = 'sqlcipher'`)
  db.pragma(`key = "x'${key.toString('hex')}'"`)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.pragma('foreign_keys = ON')
  for (const [v, migration] of MIGRATIONS.slice(0, BEFORE).entries()) {
    db.transaction(() => {
      migration(db, 0)
      db.pragma(`user_version = ${v + 1}`)
    })()
  }
  const insert = db.prepare(
    `INSERT INTO keys (tenant, id, name, key_preview, is_active, revoked, created_ms, expires_ms, last_used_ms, listed, first_seen, json)
     VALUES (@tenant, @id, @name, @key_preview, @is_active, @revoked, @created_ms, @expires_ms, @last_used_ms, 1, @now, @json)`
  )
  const dropScopes = db.prepare('DELETE FROM key_scopes WHERE key_rowid = ?')
  const addScope = db.prepare('INSERT OR IGNORE INTO key_scopes (key_rowid, scope) VALUES (?, ?)')
  const existing = db.prepare('SELECT rowid, id, json, listed FROM keys WHERE tenant = ?')
  const synced = db.prepare(
    'INSERT INTO tenant_sync (tenant, synced_at, listed) VALUES (?, ?, ?) ON CONFLICT (tenant) DO UPDATE SET synced_at = excluded.synced_at, listed = excluded.listed'
  )
  const ms = (iso: string | null) => (iso === null ? null : Date.parse(iso))
  return {
    db,
    firstSync(tenant: string, keys: readonly ApiKey[], now: number) {
      existing.all(tenant)
      db.transaction(() => {
        for (const k of keys) {
          const { lastInsertRowid } = insert.run({
            tenant,
            id: k.id,
            name: k.name,
            key_preview: k.key_preview,
            is_active: k.is_active ? 1 : 0,
            revoked: k.revoked_at !== null || (!k.is_active && k.expires_at === null) ? 1 : 0,
            created_ms: ms(k.created_at),
            expires_ms: ms(k.expires_at),
            last_used_ms: ms(k.last_used_at),
            json: JSON.stringify(k),
            now
          })
          dropScopes.run(lastInsertRowid)
          for (const scope of k.scopes) addScope.run(lastInsertRowid, scope)
        }
        synced.run(tenant, now, keys.length)
      })()
    }
  }
}

function currentStore(path: string, now: number) {
  const key = randomBytes(32)
  return createFleetStore({ path, dataKey: async () => key, log: silentLogger, now: () => now })
}

export async function storeSize(): Promise<BenchResult[]> {
  const results: BenchResult[] = []
  const dir = mkdtempSync(join(tmpdir(), 'keydesk-bench-store-size-'))
  const now = Date.now()
  const keys = seedKeys(now)

  // First sync into a fresh store, old and new schema alternating (the machine's load hits both).
  const before: number[] = []
  const after: number[] = []
  // CPU time of this process too: on a shared machine the wall clock mostly measures the others.
  const beforeCpu: number[] = []
  const afterCpu: number[] = []
  const cpuMs = (since: NodeJS.CpuUsage) => {
    const c = process.cpuUsage(since)
    return (c.user + c.system) / 1000
  }
  for (let round = 0; round < ROUNDS; round++) {
    const old = schema5Store(join(dir, `first-old-${round}.db`))
    let t0 = performance.now()
    let c0 = process.cpuUsage()
    old.firstSync(randomUUID(), keys, now)
    before.push(performance.now() - t0)
    beforeCpu.push(cpuMs(c0))
    old.db.close()
    const store = currentStore(join(dir, `first-new-${round}.db`), now)
    await store.open()
    t0 = performance.now()
    c0 = process.cpuUsage()
    await store.syncKeys(randomUUID(), keys, now)
    after.push(performance.now() - t0)
    afterCpu.push(cpuMs(c0))
    store.close()
  }
  const [b, a] = [percentile(before, 50), percentile(after, 50)]
  results.push({ name: `first sync of ${KEYS} keys into a fresh store, schema ${BEFORE}, p50 of ${ROUNDS}`, value: b, unit: 'ms' })
  results.push({
    name: `first sync of ${KEYS} keys into a fresh store, schema ${SCHEMA_VERSION} (syncKeys), p50 of ${ROUNDS}`,
    value: a,
    unit: 'ms',
    budget: 600
  })
  results.push({ name: 'first sync, new / old', value: a / b, unit: '×' })
  const [bc, ac] = [percentile(beforeCpu, 50), percentile(afterCpu, 50)]
  results.push({ name: `first sync, CPU time of this process, schema ${BEFORE}, p50`, value: bc, unit: 'ms' })
  results.push({ name: `first sync, CPU time of this process, schema ${SCHEMA_VERSION}, p50`, value: ac, unit: 'ms' })
  results.push({ name: 'first sync CPU time, new / old', value: ac / bc, unit: '×' })

  // The same fleet into both, tenant by tenant: the WAL each leaves, then bytes per key once checkpointed.
  const oldPath = join(dir, 'fleet-old.db')
  const newPath = join(dir, 'fleet-new.db')
  const old = schema5Store(oldPath)
  const store = currentStore(newPath, now)
  for (let t = 0; t < TENANTS; t++) {
    const tenantKeys = t === 0 ? keys : seedKeys(now)
    const tenant = randomUUID()
    old.firstSync(tenant, tenantKeys, now)
    await store.syncKeys(tenant, tenantKeys, now)
  }
  const fleetKeys = TENANTS * KEYS
  results.push({ name: `WAL after filling ${TENANTS} × ${KEYS} keys, schema ${BEFORE}`, value: mib(sizeOf(`${oldPath}-wal`)), unit: 'MiB' })
  results.push({ name: `WAL after filling ${TENANTS} × ${KEYS} keys, schema ${SCHEMA_VERSION}`, value: mib(sizeOf(`${newPath}-wal`)), unit: 'MiB' })
  old.db.pragma('wal_checkpoint(TRUNCATE)')
  ;(await store.database()).pragma('wal_checkpoint(TRUNCATE)')
  const [oldBytes, newBytes] = [sizeOf(oldPath) / fleetKeys, sizeOf(newPath) / fleetKeys]
  results.push({ name: `bytes per stored key after a checkpoint (${fleetKeys} keys), schema ${BEFORE}`, value: oldBytes, unit: 'B' })
  results.push({
    name: `bytes per stored key after a checkpoint (${fleetKeys} keys), schema ${SCHEMA_VERSION}`,
    value: newBytes,
    unit: 'B',
    budget: 1000
  })
  results.push({ name: 'bytes per stored key, new / old', value: newBytes / oldBytes, unit: '×' })
  old.db.close()
  store.close()
  rmSync(dir, { recursive: true, force: true })
  return results
}
