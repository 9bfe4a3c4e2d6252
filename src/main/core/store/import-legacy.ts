import { createDecipheriv } from 'node:crypto'
import { readdir, readFile, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { ApiKeySchema, AuditEventSchema, PaginationSchema } from '../../../shared/meshqu'
import { RateLimitWindowSchema } from '../../../shared/ratelimit'
import { RotationSchema } from '../../../shared/contract'
import type { Logger } from '../log'
import type { FleetStore } from './fleet-store'

/**
 * One-time import of what KeyDesk kept before the store: `<data dir>/cache/<profile>.snapshot`
 * and `<profile>.audit.snapshot` (AES-256-GCM under the same keychain data key, profile id as
 * associated data) and `<data dir>/rotations.json` (plain JSON, as that KeyDesk wrote it).
 * It runs once, for the first store ever kept under this keychain, is recorded in the store, and
 * deletes what it read: files put back later (an old snapshot rolling the offline view back, a
 * hand-written reminder file) are never read.
 */
const SnapshotSchema = z.object({
  version: z.literal(1),
  profileId: z.string(),
  syncedAt: z.number(),
  keys: z.array(ApiKeySchema),
  rateLimitHistory: z.array(RateLimitWindowSchema).default([])
})
const AuditSnapshotSchema = z.object({ syncedAt: z.number(), events: z.array(AuditEventSchema), pagination: PaginationSchema })
const RotationsFileSchema = z.object({ version: z.literal(1), pending: z.array(RotationSchema) })

const MAGIC = Buffer.from('KDC1')
const IV_BYTES = 12
const TAG_BYTES = 16

function openSealed(key: Buffer, aad: string, sealed: Buffer): unknown {
  if (sealed.length < MAGIC.length + IV_BYTES + TAG_BYTES || !sealed.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new Error('not a KeyDesk snapshot')
  }
  const iv = sealed.subarray(MAGIC.length, MAGIC.length + IV_BYTES)
  const tag = sealed.subarray(MAGIC.length + IV_BYTES, MAGIC.length + IV_BYTES + TAG_BYTES)
  const decipher = createDecipheriv('aes-256-gcm', key, iv)
  decipher.setAAD(Buffer.from(aad))
  decipher.setAuthTag(tag)
  const plain = Buffer.concat([decipher.update(sealed.subarray(MAGIC.length + IV_BYTES + TAG_BYTES)), decipher.final()])
  return JSON.parse(plain.toString('utf8'))
}

export interface LegacyImportResult {
  tenants: number
  keys: number
  rotations: number
  skipped: string[]
}

export async function importLegacyData(opts: {
  dataDir: string
  store: FleetStore
  dataKey: () => Promise<Buffer>
  log: Logger
  now: () => number
  /** No store was ever anchored in this keychain (store/trust.ts): only then can old files be KeyDesk's own. */
  firstStore: boolean
}): Promise<LegacyImportResult> {
  const result: LegacyImportResult = { tenants: 0, keys: 0, rotations: 0, skipped: [] }
  const cacheDir = join(opts.dataDir, 'cache')
  const rotationsFile = join(opts.dataDir, 'rotations.json')
  if ((await opts.store.legacy.importedAt()) !== null) return result
  if (!opts.firstStore) {
    // A store was kept under this keychain before, so its import ran then; this file is a new one.
    await opts.store.legacy.markImported(0)
    return result
  }
  const files = await readdir(cacheDir).catch(() => [] as string[])
  const snapshots = files.filter((f) => f.endsWith('.snapshot') && !f.endsWith('.audit.snapshot'))
  if (snapshots.length) {
    const key = await opts.dataKey()
    for (const file of snapshots) {
      const profileId = file.slice(0, -'.snapshot'.length)
      try {
        const snap = SnapshotSchema.parse(openSealed(key, profileId, await readFile(join(cacheDir, file))))
        await opts.store.syncKeys(snap.profileId, snap.keys, snap.syncedAt)
        await opts.store.saveHistory(snap.profileId, snap.rateLimitHistory, 0)
        result.tenants++
        result.keys += snap.keys.length
      } catch (err) {
        // A snapshot the key cannot open was already useless; the next sync rebuilds the tenant.
        result.skipped.push(file)
        opts.log.warn(`fleet store ${file} not imported`, err)
      }
      const audit = join(cacheDir, `${profileId}.audit.snapshot`)
      if (files.includes(`${profileId}.audit.snapshot`)) {
        try {
          const page = AuditSnapshotSchema.parse(openSealed(key, `${profileId}#audit`, await readFile(audit)))
          await opts.store.saveAudit(profileId, page)
        } catch (err) {
          opts.log.warn(`audit snapshot of ${profileId} not imported`, err)
        }
      }
    }
  }
  const hadRotations = Boolean(await stat(rotationsFile).catch(() => null))
  if (hadRotations) {
    try {
      const { pending } = RotationsFileSchema.parse(JSON.parse(await readFile(rotationsFile, 'utf8')))
      for (const r of pending) await opts.store.rotations.add(r)
      result.rotations = pending.length
    } catch (err) {
      opts.log.warn('rotations.json not imported', err)
    }
  }
  // Recorded before the files go: a stop in between leaves files that are never read again.
  await opts.store.legacy.markImported(opts.now())
  if (files.length) await rm(cacheDir, { recursive: true, force: true })
  if (hadRotations) await rm(rotationsFile, { force: true })
  if (result.tenants || result.rotations) {
    opts.log.info(`imported ${result.keys} keys of ${result.tenants} tenants and ${result.rotations} pending rotations into the fleet store`)
  }
  return result
}
