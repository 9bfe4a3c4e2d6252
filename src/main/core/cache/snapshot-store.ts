import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { ApiKeySchema, AuditEventSchema, PaginationSchema } from '../../../shared/meshqu'
import { RateLimitWindowSchema } from '../../../shared/ratelimit'
import { atomicWriteFile } from '../fs/atomic-write'
import type { Logger } from '../log'

/** One tenant's last view, as saved after each successful read. */
export const SnapshotSchema = z.object({
  version: z.literal(1),
  profileId: z.string(),
  syncedAt: z.number(),
  keys: z.array(ApiKeySchema),
  rateLimitHistory: z.array(RateLimitWindowSchema).default([])
})
export type Snapshot = z.infer<typeof SnapshotSchema>

export const AuditSnapshotSchema = z.object({
  syncedAt: z.number(),
  events: z.array(AuditEventSchema),
  pagination: PaginationSchema
})
export type AuditSnapshot = z.infer<typeof AuditSnapshotSchema>

const MAGIC = Buffer.from('KDC1')
const IV_BYTES = 12
const TAG_BYTES = 16

export interface SnapshotStoreOptions {
  dir: string
  dataKey: () => Promise<Buffer>
  log: Logger
  now?: () => number
  /** Largest snapshot written (default 64 MiB); larger ones drop audit events, then are skipped. */
  maxBytes?: number
}

/**
 * Offline snapshots, one encrypted file per tenant profile: AES-256-GCM under a data key from the
 * keychain, the profile id as associated data (a file copied to another profile fails to open),
 * written atomically so a crash mid-write leaves the previous snapshot usable.
 */
export function createSnapshotStore(opts: SnapshotStoreOptions) {
  const now = opts.now ?? Date.now
  const maxBytes = opts.maxBytes ?? 64 * 1024 * 1024
  const warnings: string[] = []
  const file = (profileId: string) => join(opts.dir, `${profileId.replace(/[^A-Za-z0-9-]/g, '_')}.snapshot`)
  let ready: Promise<unknown> | undefined

  function seal(key: Buffer, profileId: string, plain: Buffer): Buffer {
    const iv = randomBytes(IV_BYTES)
    const cipher = createCipheriv('aes-256-gcm', key, iv)
    cipher.setAAD(Buffer.from(profileId))
    const body = Buffer.concat([cipher.update(plain), cipher.final()])
    return Buffer.concat([MAGIC, iv, cipher.getAuthTag(), body])
  }

  function open(key: Buffer, profileId: string, sealed: Buffer): Buffer {
    if (sealed.length < MAGIC.length + IV_BYTES + TAG_BYTES || !sealed.subarray(0, MAGIC.length).equals(MAGIC)) {
      throw new Error('not a KeyDesk snapshot')
    }
    const iv = sealed.subarray(MAGIC.length, MAGIC.length + IV_BYTES)
    const tag = sealed.subarray(MAGIC.length + IV_BYTES, MAGIC.length + IV_BYTES + TAG_BYTES)
    const decipher = createDecipheriv('aes-256-gcm', key, iv)
    decipher.setAAD(Buffer.from(profileId))
    decipher.setAuthTag(tag)
    return Buffer.concat([decipher.update(sealed.subarray(MAGIC.length + IV_BYTES + TAG_BYTES)), decipher.final()])
  }

  async function setAside(path: string, why: string) {
    const aside = `${path}.unreadable-${new Date(now()).toISOString().replace(/[:.]/g, '-')}`
    await rename(path, aside).catch(() => {})
    const msg = `An offline snapshot could not be read (${why}) and was set aside as ${aside}; it will be rebuilt at the next sync.`
    warnings.push(msg)
    opts.log.warn(msg)
  }

  async function writeSealed(path: string, aad: string, value: unknown): Promise<boolean> {
    ready ??= mkdir(opts.dir, { recursive: true, mode: 0o700 }).catch((err) => {
      ready = undefined // try again next time (e.g. after the folder's permissions are fixed)
      throw err
    })
    await ready
    const plain = Buffer.from(JSON.stringify(value))
    if (plain.length > maxBytes) return false
    await atomicWriteFile(path, seal(await opts.dataKey(), aad, plain))
    return true
  }

  /** The parsed content, or null when there is none or it cannot be trusted (then it is set aside). */
  async function readSealed<T>(path: string, aad: string, schema: z.ZodType<T>): Promise<T | null> {
    let sealed: Buffer
    try {
      sealed = await readFile(path)
    } catch {
      return null
    }
    const key = await opts.dataKey()
    let parsed: unknown
    try {
      parsed = JSON.parse(open(key, aad, sealed).toString('utf8'))
    } catch {
      await setAside(path, 'wrong data key, tampered or damaged')
      return null
    }
    const result = schema.safeParse(parsed)
    if (!result.success) {
      await setAside(path, 'unknown format')
      return null
    }
    return result.data
  }

  const auditFile = (profileId: string) => file(profileId).replace(/\.snapshot$/, '.audit.snapshot')

  return {
    async save(snapshot: Snapshot): Promise<boolean> {
      if (await writeSealed(file(snapshot.profileId), snapshot.profileId, snapshot)) return true
      opts.log.warn(`offline snapshot of ${snapshot.keys.length} keys exceeds ${maxBytes} bytes; not saved`)
      return false
    },

    async load(profileId: string): Promise<Snapshot | null> {
      const snap = await readSealed(file(profileId), profileId, SnapshotSchema)
      return snap && snap.profileId === profileId ? snap : null
    },

    /** The last audit page fetched for a tenant, kept beside its key list. */
    saveAudit: (profileId: string, audit: AuditSnapshot) => writeSealed(auditFile(profileId), `${profileId}#audit`, audit),
    loadAudit: (profileId: string) => readSealed(auditFile(profileId), `${profileId}#audit`, AuditSnapshotSchema),

    async remove(profileId: string) {
      await rm(file(profileId), { force: true })
      await rm(auditFile(profileId), { force: true })
    },

    warnings: () => [...warnings]
  }
}

export type SnapshotStore = ReturnType<typeof createSnapshotStore>
