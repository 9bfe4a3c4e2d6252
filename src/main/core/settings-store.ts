import { join } from 'node:path'
import { SettingsSchema, type Settings, type SettingsPatch } from '../../shared/contract'
import { mergeRadarSettings } from '../../shared/radar'
import { createJsonFile } from './fs/json-file'
import type { Logger } from './log'

export const SETTINGS_FILE = 'settings.json'

/**
 * settings.json in the data dir. A corrupt file is set aside and defaults apply; a file that
 * cannot be read at all (permissions) also gives defaults, with a warning, and is tried again.
 */
export function createSettingsStore(dataDir: string, log: Logger, now: () => number = Date.now) {
  const defaults = (): Settings => SettingsSchema.parse({})
  const file = createJsonFile({ path: join(dataDir, SETTINGS_FILE), schema: SettingsSchema, defaults, log, now })
  return {
    get: (): Promise<Settings> =>
      file.read().catch((err: unknown) => {
        log.warn(`${SETTINGS_FILE} unreadable; using defaults`, err)
        return defaults()
      }),
    /** The last loaded value without I/O (defaults until the first load). */
    peek: (): Settings => file.peek() ?? defaults(),
    /**
     * One at a time, each on the previous one's result (two sliders moved quickly both land). Only
     * what the patch names changes; radar thresholds are merged per environment.
     */
    update: (patch: SettingsPatch): Promise<Settings> =>
      file.update((current) => {
        const named = Object.fromEntries(Object.entries(patch).filter(([k, v]) => v !== undefined && k !== 'radar'))
        return SettingsSchema.parse({ ...current, ...named, radar: mergeRadarSettings(current.radar, patch.radar) })
      })
  }
}

export type SettingsStore = ReturnType<typeof createSettingsStore>
