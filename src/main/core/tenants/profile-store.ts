import { join } from 'node:path'
import { z } from 'zod'
import { ProfileIdSchema, TenantProfileSchema, type TenantProfile } from '../../../shared/tenants'
import { createJsonFile } from '../fs/json-file'
import type { Logger } from '../log'
import { maskKey } from '../redact'

export const PROFILES_FILE = 'profiles.json'
export const PROFILES_SCHEMA_VERSION = 1

// Loose on read so fields written by a newer KeyDesk survive our rewrite of the file. Ids must be
// UUIDs (KeyDesk makes no others): an id names the tenant's keychain account, so an entry with
// any other id is kept untouched in the file but never loaded.
const StoredProfileSchema = TenantProfileSchema.extend({ id: ProfileIdSchema }).loose()
const FileSchema = z
  .object({
    schemaVersion: z.number().int().positive(),
    activeProfileId: z.string().nullable().default(null),
    profiles: z.array(z.unknown())
  })
  .loose()

type Stored = z.infer<typeof StoredProfileSchema>
type FileShape = z.infer<typeof FileSchema>
/** In memory: the file's own fields, the profiles we can read, and the entries we keep untouched. */
interface State {
  file: FileShape
  profiles: Stored[]
  unreadable: unknown[]
}

const StateSchema = FileSchema.transform((file): State => {
  const profiles: Stored[] = []
  const unreadable: unknown[] = []
  for (const entry of file.profiles) {
    const p = StoredProfileSchema.safeParse(entry)
    if (p.success) profiles.push(p.data)
    else unreadable.push(entry)
  }
  return { file, profiles, unreadable }
})

const emptyState = (): State => ({
  file: { schemaVersion: PROFILES_SCHEMA_VERSION, activeProfileId: null, profiles: [] },
  profiles: [],
  unreadable: []
})

/** Unreadable entries go back after the readable ones, so a newer KeyDesk still finds them. */
const serialize = (s: State) => ({
  ...s.file,
  schemaVersion: Math.max(s.file.schemaVersion, PROFILES_SCHEMA_VERSION),
  profiles: [...s.profiles, ...s.unreadable]
})

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
  const problems: string[] = []
  const file = createJsonFile({
    path: join(dataDir, PROFILES_FILE),
    schema: StateSchema,
    defaults: emptyState,
    migrate,
    serialize,
    log,
    now,
    onSetAside: (aside) =>
      problems.push(
        `The tenant list file was unreadable and has been kept as ${aside}; KeyDesk started with an empty list. Your admin keys are still in the keychain.`
      )
  })
  let reportedUnreadable = false

  let remasked = false

  async function load(): Promise<State> {
    let s = await file.read()
    if (!remasked) {
      remasked = true
      // Previews saved before the prefix fix kept most of an mqk_ admin key's body; once per
      // start, any preview longer than its masked form is cut down, on disk too.
      if (s.profiles.some((p) => p.adminKeyPreview !== null && maskKey(p.adminKeyPreview) !== p.adminKeyPreview)) {
        await file.update((st) => ({
          ...st,
          profiles: st.profiles.map((p) => (p.adminKeyPreview === null ? p : { ...p, adminKeyPreview: maskKey(p.adminKeyPreview) }))
        }))
        s = await file.read()
      }
    }
    if (!reportedUnreadable && s.unreadable.length) {
      reportedUnreadable = true
      const msg = `${s.unreadable.length} tenant profile(s) in ${PROFILES_FILE} could not be read and are kept untouched in the file.`
      problems.push(msg)
      log.warn(msg)
    }
    return s
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
    put: async (profile) => {
      await load()
      await file.update((s) => {
        const i = s.profiles.findIndex((x) => x.id === profile.id)
        // Merged over the stored entry, so fields this version does not know survive.
        const profiles = i >= 0 ? s.profiles.map((x, j) => (j === i ? { ...x, ...profile } : x)) : [...s.profiles, profile]
        return { ...s, profiles }
      })
    },
    remove: async (id) => {
      await load()
      let removed = false
      await file.update((s) => {
        const profiles = s.profiles.filter((x) => x.id !== id)
        removed = profiles.length !== s.profiles.length
        const activeProfileId = s.file.activeProfileId === id ? null : s.file.activeProfileId
        if (!removed && activeProfileId === s.file.activeProfileId) return s
        return { ...s, file: { ...s.file, activeProfileId }, profiles }
      })
      return removed
    },
    getActive: async () => (await load()).file.activeProfileId,
    setActive: async (id) => {
      await load()
      await file.update((s) => ({ ...s, file: { ...s.file, activeProfileId: id } }))
    },
    warnings: () => [...problems]
  }
}
