import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { SettingsSchema, type Settings, type SettingsPatch } from '../../shared/contract'
import { mergeRadarSettings } from '../../shared/radar'
import { atomicWriteFile } from './fs/atomic-write'
import type { Logger } from './log'

/** settings.json in the data dir; an unreadable file falls back to defaults with a warning. */
export function createSettingsStore(dataDir: string, log: Logger) {
  const path = join(dataDir, 'settings.json')
  let current: Settings | undefined
  // Updates run one at a time: each reads the previous one's result, so two quick changes
  // (e.g. two sliders) both land instead of the second overwriting the first with stale values.
  let queue: Promise<unknown> = Promise.resolve()
  async function load(): Promise<Settings> {
    if (current) return current
    try {
      current = SettingsSchema.parse(JSON.parse(await readFile(path, 'utf8')))
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log.warn('settings.json unreadable; using defaults', err)
      current = SettingsSchema.parse({})
    }
    return current
  }
  return {
    get: load,
    /** The last loaded value without I/O (defaults until the first load). */
    peek: (): Settings => current ?? SettingsSchema.parse({}),
    update(patch: SettingsPatch): Promise<Settings> {
      const run = queue.then(async () => {
        const before = await load()
        // Only what the patch names changes; radar thresholds are merged per environment.
        const named = Object.fromEntries(Object.entries(patch).filter(([k, v]) => v !== undefined && k !== 'radar'))
        const next = SettingsSchema.parse({ ...before, ...named, radar: mergeRadarSettings(before.radar, patch.radar) })
        await atomicWriteFile(path, `${JSON.stringify(next, null, 2)}\n`)
        current = next
        return next
      })
      queue = run.catch(() => {}) // a failed write must not block the next one
      return run
    }
  }
}
