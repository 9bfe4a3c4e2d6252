import { join } from 'node:path'
import { SettingsSchema, type Settings } from '../../shared/contract'
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
    /** One at a time, each on the previous one's result (e.g. two sliders moved quickly both land). */
    update: (patch: Partial<Settings>): Promise<Settings> => file.update((current) => SettingsSchema.parse({ ...current, ...patch }))
  }
}

export type SettingsStore = ReturnType<typeof createSettingsStore>
