import { mkdir, readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { atomicWriteFile as writeAtomically } from '../node/fs/atomic-write'
import { z } from 'zod'
import { ScopeSchema } from '../shared/scopes'
import type { StoreSnapshot } from './store'

export const STATE_FILE = 'state.json'
export const CREDENTIALS_FILE = 'credentials.json'

/** Creates the folder if needed, then writes atomically (src/node's one implementation, shared with main). */
export async function atomicWriteFile(path: string, data: string, mode = 0o600): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
  await writeAtomically(path, data, mode)
}

const ms = z.number().finite()
const KeyRecordSchema = z.object({
  id: z.string(),
  tenant_id: z.string(),
  name: z.string(),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  preview: z.string(),
  scopes: z.array(ScopeSchema),
  expires_at: ms.nullable(),
  last_used_at: ms.nullable(),
  created_at: ms,
  created_by: z.string().nullable(),
  revoked_at: ms.nullable(),
  revoked_by: z.string().nullable()
})
const AuditRecordSchema = z.object({
  id: z.string(),
  seq: z.number().int(),
  tenant_id: z.string(),
  action: z.string(),
  actor_key_id: z.string().nullable(),
  actor_key_name: z.string().nullable(),
  target_id: z.string().nullable(),
  created_at: ms,
  details: z.record(z.string(), z.unknown()).nullable()
})
const SnapshotSchema = z.object({
  version: z.literal(1),
  audit_seq: z.number().int().nonnegative(),
  tenants: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      created_at: ms,
      admin_key_id: z.string().nullable(),
      seed_counter: z.number().int().positive(),
      keys: z.array(KeyRecordSchema),
      audit: z.array(AuditRecordSchema)
    })
  )
})

/**
 * credentials.json (mode 0600): the plaintext of the admin keys the sandbox provisioned itself, and
 * nothing else, so a restarted sandbox hands out the same admin keys. Keys created through the API
 * are never written anywhere.
 */
const CredentialsSchema = z.object({
  tenants: z.array(z.object({ id: z.string(), admin_key: z.string() }))
})
export type StoredCredentials = z.infer<typeof CredentialsSchema>

async function readJson(path: string): Promise<unknown | undefined> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
  try {
    return JSON.parse(text)
  } catch {
    throw new Error(`${path} is not valid JSON; fix or remove it`)
  }
}

export async function loadSnapshot(dataDir: string): Promise<StoreSnapshot | undefined> {
  const path = join(dataDir, STATE_FILE)
  const raw = await readJson(path)
  if (raw === undefined) return undefined
  const parsed = SnapshotSchema.safeParse(raw)
  if (!parsed.success) throw new Error(`${path} is not a sandbox state file: ${parsed.error.issues[0]?.message ?? 'invalid'}`)
  return parsed.data
}

export async function loadCredentials(dataDir: string): Promise<StoredCredentials> {
  const raw = await readJson(join(dataDir, CREDENTIALS_FILE))
  const parsed = CredentialsSchema.safeParse(raw)
  return parsed.success ? parsed.data : { tenants: [] }
}

export async function saveCredentials(dataDir: string, creds: StoredCredentials): Promise<void> {
  await atomicWriteFile(join(dataDir, CREDENTIALS_FILE), `${JSON.stringify(creds, null, 2)}\n`, 0o600)
}

/**
 * Coalesces state writes: a mutation schedules one write `delayMs` later; writes never overlap;
 * `flush()` writes now if anything is pending (used by close()).
 */
export class Persister {
  private timer: NodeJS.Timeout | null = null
  private dirty = false
  private writing: Promise<void> = Promise.resolve()
  lastError: unknown = null

  constructor(
    private readonly dataDir: string,
    private readonly snapshot: () => StoreSnapshot,
    private readonly delayMs = 200
  ) {}

  schedule(): void {
    this.dirty = true
    if (this.timer) return
    this.timer = setTimeout(() => {
      this.timer = null
      void this.flush()
    }, this.delayMs)
    this.timer.unref()
  }

  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer)
      this.timer = null
    }
    this.writing = this.writing.then(async () => {
      if (!this.dirty) return
      this.dirty = false
      try {
        await atomicWriteFile(join(this.dataDir, STATE_FILE), JSON.stringify(this.snapshot()), 0o600)
      } catch (err) {
        this.lastError = err
        this.dirty = true
      }
    })
    return this.writing
  }
}
