import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createProfileStore, PROFILES_FILE } from '../../../src/main/core/tenants/profile-store'
import { silentLogger } from '../../../src/main/core/log'
import type { TenantProfile } from '../../../src/shared/tenants'

/** Profile ids are UUIDs; `p3` reads as the third one, and keeps its name as the default label. */
const uuid = (name: string) => `00000000-0000-4000-8000-${name.replace(/\D/g, '').padStart(12, '0')}`
const profile = (name: string, label = name): TenantProfile => ({
  id: uuid(name),
  label,
  tenantId: '123e4567-e89b-42d3-a456-426614174000',
  baseUrl: 'https://api.meshqu.com',
  environment: 'staging',
  color: '#f59e0b',
  adminKeyPreview: 'mqu_live_...x7Kf',
  createdAt: '2026-01-01T00:00:00.000Z',
  embedded: false
})
const dir = () => mkdtempSync(join(tmpdir(), 'keydesk-profiles-'))

describe('profile store', () => {
  it('persists profiles and the active one across instances', async () => {
    const d = dir()
    const a = createProfileStore(d, silentLogger)
    await a.put(profile('p1', 'acme-staging'))
    await a.put(profile('p2'))
    await a.setActive(uuid('p2'))
    const b = createProfileStore(d, silentLogger)
    expect((await b.list()).map((p) => p.label)).toEqual(['acme-staging', 'p2'])
    expect(await b.getActive()).toBe(uuid('p2'))
    expect(await b.remove(uuid('p2'))).toBe(true)
    expect(await b.getActive()).toBeNull()
  })

  it('cuts a preview saved before the prefix fix down to prefix + last 4, in memory and in the file', async () => {
    const d = dir()
    const body = 'Zq81mB7vXc2LrT9pWk3sHn6yFd4gJa5e'
    const old = { ...profile('p1'), adminKeyPreview: `mqk_${body.slice(0, 24)}_...${body.slice(-4)}` }
    writeFileSync(join(d, PROFILES_FILE), JSON.stringify({ schemaVersion: 1, activeProfileId: uuid('p1'), profiles: [old, profile('p2')] }))
    const s = createProfileStore(d, silentLogger)
    expect((await s.list()).map((p) => p.adminKeyPreview)).toEqual([`mqk_...${body.slice(-4)}`, 'mqu_live_...x7Kf'])
    const text = readFileSync(join(d, PROFILES_FILE), 'utf8')
    expect(text).not.toContain(body.slice(0, 8))
    expect(JSON.parse(text).activeProfileId).toBe(uuid('p1'))
  })

  it('never writes an admin key into the file and leaves no temp files behind', async () => {
    const d = dir()
    const s = createProfileStore(d, silentLogger)
    await s.put(profile('p1'))
    expect(readdirSync(d)).toEqual([PROFILES_FILE])
    const text = readFileSync(join(d, PROFILES_FILE), 'utf8')
    expect(JSON.parse(text).schemaVersion).toBe(1)
    expect(text).not.toMatch(/adminKey"/)
  })

  it('moves a corrupt file aside with a warning instead of wiping it', async () => {
    const d = dir()
    writeFileSync(join(d, PROFILES_FILE), '{"schemaVersion": 1, "profiles": [')
    const s = createProfileStore(d, silentLogger)
    expect(await s.list()).toEqual([])
    expect(s.warnings()[0]).toMatch(/unreadable/)
    const aside = readdirSync(d).find((f) => f.includes('.corrupt-'))
    expect(aside).toBeDefined()
    expect(readFileSync(join(d, aside!), 'utf8')).toBe('{"schemaVersion": 1, "profiles": [')
  })

  it('migrates the bare-array format and keeps unknown fields and unreadable entries on rewrite', async () => {
    const d = dir()
    const future = { ...profile('p1'), pinned: true }
    const broken = { id: 'p9', label: '' }
    writeFileSync(join(d, PROFILES_FILE), JSON.stringify([future, broken]))
    const s = createProfileStore(d, silentLogger)
    expect((await s.list()).map((p) => p.id)).toEqual([uuid('p1')])
    expect(s.warnings()[0]).toMatch(/could not be read/)
    await s.put({ ...profile('p1'), label: 'renamed' })
    const file = JSON.parse(readFileSync(join(d, PROFILES_FILE), 'utf8'))
    expect(file.schemaVersion).toBe(1)
    expect(file.profiles[0]).toMatchObject({ label: 'renamed', pinned: true })
    expect(file.profiles[1]).toEqual(broken)
  })

  it('never loads a profile whose id is not a UUID (the id names its keychain account), and keeps it untouched in the file', async () => {
    const d = dir()
    const planted = ['keydesk-cache-data-key', 'keydesk:store-data-key', 'tenant:x', '../p1'].map((id) => ({ ...profile('p2'), id }))
    writeFileSync(join(d, PROFILES_FILE), JSON.stringify({ schemaVersion: 1, activeProfileId: null, profiles: [profile('p1'), ...planted] }))
    const s = createProfileStore(d, silentLogger)
    expect((await s.list()).map((p) => p.id)).toEqual([uuid('p1')])
    expect(await s.get('keydesk-cache-data-key')).toBeUndefined()
    expect(s.warnings()[0]).toMatch(/4 tenant profile\(s\).*could not be read/)
    await s.put({ ...profile('p1'), label: 'renamed' })
    expect(JSON.parse(readFileSync(join(d, PROFILES_FILE), 'utf8')).profiles.slice(1)).toEqual(planted)
  })

  it('serializes concurrent writes', async () => {
    const s = createProfileStore(dir(), silentLogger)
    await Promise.all(Array.from({ length: 20 }, (_, i) => s.put(profile(`p${i}`))))
    expect(await s.list()).toHaveLength(20)
  })
})
