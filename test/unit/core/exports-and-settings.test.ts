import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createExportSaver } from '../../../src/main/core/fs/export-file'
import { createSettingsStore } from '../../../src/main/core/settings-store'
import { silentLogger } from '../../../src/main/core/log'
import { SettingsPatchSchema, SettingsSchema } from '../../../src/shared/contract'
import { DEFAULT_RADAR_RULES } from '../../../src/shared/radar'

describe.skipIf(process.platform === 'win32')('exports', () => {
  it('are written 0600, also over an existing world-readable file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keydesk-export-'))
    const fresh = join(dir, 'keys.csv')
    const existing = join(dir, 'old.csv')
    writeFileSync(existing, 'old', { mode: 0o644 })
    for (const path of [fresh, existing]) {
      const saved = await createExportSaver(async () => path).save('keys.csv', 'name,preview\n')
      expect(saved).toBe(path)
      expect(statSync(path).mode & 0o777).toBe(0o600)
      expect(readFileSync(path, 'utf8')).toBe('name,preview\n')
    }
  })

  it('writes nothing when the dialog is cancelled', async () => {
    expect(await createExportSaver(async () => null).save('keys.csv', 'x')).toBeNull()
  })
})

describe('settings updates', () => {
  it('two concurrent updates both land, in memory and on disk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keydesk-settings-'))
    const store = createSettingsStore(dir, silentLogger)
    await Promise.all([
      store.update({ reserveFraction: 0.2 }),
      store.update({ probeIntervalSeconds: 30 }),
      store.update({ headroomAlertFraction: 0.3 })
    ])
    // Every other setting keeps its default.
    const expected = {
      ...SettingsSchema.parse({}),
      reserveFraction: 0.2,
      probeIntervalSeconds: 30,
      headroomAlertFraction: 0.3,
      radar: DEFAULT_RADAR_RULES
    }
    expect(await store.get()).toEqual(expected)
    expect(await createSettingsStore(dir, silentLogger).get()).toEqual(expected)
  })

  it('a patch as the router parses it changes only what it names; radar thresholds merge per environment', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keydesk-settings-'))
    const store = createSettingsStore(dir, silentLogger)
    const update = (patch: unknown) => store.update(SettingsPatchSchema.parse(patch))
    await update({ headroomAlertFraction: 0.5, radar: { staging: { unusedDays: 120 } } })
    await update({ reserveFraction: 0.2 })
    const after = await update({ radar: { production: { notifyExpiry: false }, staging: { flagNoExpiry: true } } })
    expect(after).toEqual({
      ...SettingsSchema.parse({}),
      headroomAlertFraction: 0.5,
      reserveFraction: 0.2,
      radar: {
        ...DEFAULT_RADAR_RULES,
        production: { ...DEFAULT_RADAR_RULES.production, notifyExpiry: false },
        staging: { ...DEFAULT_RADAR_RULES.staging, unusedDays: 120, flagNoExpiry: true }
      }
    })
    expect(() => SettingsPatchSchema.parse({ radar: { production: { unusedDays: 0 } } })).toThrow()
    expect(() => SettingsPatchSchema.parse({ radar: { qa: {} } })).toThrow()
  })

  it('a settings.json from before the radar gets its defaults; a partial radar keeps what it has', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keydesk-settings-'))
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ reserveFraction: 0.1, radar: { sandbox: { unusedDays: 30 } } }))
    const got = await createSettingsStore(dir, silentLogger).get()
    expect(got.reserveFraction).toBe(0.1)
    expect(got.radar).toEqual({ ...DEFAULT_RADAR_RULES, sandbox: { ...DEFAULT_RADAR_RULES.sandbox, unusedDays: 30 } })
  })

  it('a failed write does not block later updates', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'keydesk-settings-')), 'not-yet')
    const store = createSettingsStore(dir, silentLogger)
    await expect(store.update({ reserveFraction: 0.1 })).rejects.toThrow()
    mkdirSync(dir)
    expect(await store.update({ reserveFraction: 0.2 })).toMatchObject({ reserveFraction: 0.2 })
  })
})
