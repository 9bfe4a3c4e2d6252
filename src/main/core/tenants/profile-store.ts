import { readFile, rename } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { TenantProfileSchema, type TenantProfile } from '../../../shared/tenants'
import { atomicWriteFile } from '../../../node/fs/atomic-write'
import type { Logger } from '../log'

export const PROFILES_FILE = 'profiles.json'
export const PROFILES_SCHEMA_VERSION = 1

// Loose on read so fields written by a newer KeyDesk survive our rewrite of the file.
const StoredProfileSchema = TenantProfileSchema.loose()
const FileSchema = z
  .object({
    schemaVersion: z.number().int().positive(),
    activeProfileId: z.string().nullable().default(null),
    profiles: z.array(z.unknown())
  })
  .loose()

type Stored = z.infer<typeof StoredProfileSchema>
type FileShape = z.infer<typeof FileSchema>

export interface ProfileStore {
  list(): Promise<TenantProfile[]>
  get(id: string): Promise<TenantProfile | undefined>
  /** Inserts or replaces by id, keeping fields this version does not know. */
  put(profile: TenantProfile): Promise<void>
  remove(id: string): Promise<boolean>
  getActive(): Promise<string | null>
  setActive(id: string | null): Promise<void>
  /** Problems met while loading (a corrupt file moved aside, an unreadable entry), for the UI. */
  warnings(): string[]
}

/** Version 0 was a bare array of profiles. */
function migrate(raw: unknown): unknown {
  if (Array.isArray(raw)) return { schemaVersion: PROFILES_SCHEMA_VERSION, activeProfileId: null, profiles: raw }
  return raw
}

export function createProfileStore(dataDir: string, log: Logger, now: () => number = Date.now): ProfileStore {
  const path = join(dataDir, PROFILES_FILE)
  const problems: string[] = []
  let state: { file: FileShape; profiles: Stored[]; unreadable: unknown[] } | undefined
  let loading: Promise<NonNullable<typeof state>> | undefined
  let queue: Promise<unknown> = Promise.resolve()

  // Concurrent first reads share one load (and one rename of a corrupt file).
  function load(): Promise<NonNullable<typeof state>> {
    if (state) return Promise.resolve(state)
    loading ??= readState().finally(() => (loading = undefined))
    return loading
  }

  async function readState(): Promise<NonNullable<typeof state>> {
    if (state) return state
    let text: string | null = null
    try {
      text = await readFile(path, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
    }
    if (text === null) {
      state = { file: { schemaVersion: PROFILES_SCHEMA_VERSION, activeProfileId: null, profiles: [] }, profiles: [], unreadable: [] }
      return state
    }
    let file: FileShape
    try {
      file = FileSchema.parse(migrate(JSON.parse(text)))
    } catch {
      const aside = `${path}.corrupt-${new Date(now()).toISOString().replace(/[:.]/g, '-')}`
      await rename(path, aside)
      const msg = `The tenant list file was unreadable and has been kept as ${aside}; KeyDesk started with an empty list. Your admin keys are still in the keychain.`
      problems.push(msg)
      log.warn(msg)
      state = { file: { schemaVersion: PROFILES_SCHEMA_VERSION, activeProfileId: null, profiles: [] }, profiles: [], unreadable: [] }
      return state
    }
    const profiles: Stored[] = []
    const unreadable: unknown[] = []
    for (const entry of file.profiles) {
      const p = StoredProfileSchema.safeParse(entry)
      if (p.success) profiles.push(p.data)
      else unreadable.push(entry)
    }
    if (unreadable.length) {
      const msg = `${unreadable.length} tenant profile(s) in ${PROFILES_FILE} could not be read and are kept untouched in the file.`
      problems.push(msg)
      log.warn(msg)
    }
    state = { file, profiles, unreadable }
    return state
  }

  async function save() {
    const s = await load()
    const file = {
      ...s.file,
      schemaVersion: Math.max(s.file.schemaVersion, PROFILES_SCHEMA_VERSION),
      profiles: [...s.profiles, ...s.unreadable]
    }
    await atomicWriteFile(path, `${JSON.stringify(file, null, 2)}\n`)
  }

  /** Serializes mutations so two quick edits never interleave their writes. */
  function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = queue.then(fn, fn)
    queue = run.catch(() => {})
    return run
  }

  // Profiles are read on every call; strip unknown fields once per stored object, not per read.
  const stripped = new WeakMap<Stored, TenantProfile>()
  const strip = (p: Stored): TenantProfile => {
    let view = stripped.get(p)
    if (!view) {
      view = TenantProfileSchema.parse(p)
      stripped.set(p, view)
    }
    return { ...view }
  }

  return {
    list: async () => (await load()).profiles.map(strip),
    get: async (id) => {
      const p = (await load()).profiles.find((x) => x.id === id)
      return p ? strip(p) : undefined
    },
    put: (profile) =>
      exclusive(async () => {
        const s = await load()
        const i = s.profiles.findIndex((x) => x.id === profile.id)
        if (i >= 0) s.profiles[i] = { ...s.profiles[i], ...profile }
        else s.profiles.push(profile)
        await save()
      }),
    remove: (id) =>
      exclusive(async () => {
        const s = await load()
        const before = s.profiles.length
        s.profiles = s.profiles.filter((x) => x.id !== id)
        if (s.file.activeProfileId === id) s.file.activeProfileId = null
        if (s.profiles.length === before) return false
        await save()
        return true
      }),
    getActive: async () => (await load()).file.activeProfileId,
    setActive: (id) =>
      exclusive(async () => {
        const s = await load()
        s.file.activeProfileId = id
        await save()
      }),
    warnings: () => [...problems]
  }
}
