import type { Handlers } from '../router'
import type { SettingsStore } from '../settings-store'

/** settings.json through its store, which runs updates one at a time. */
export function settingsHandlers(d: { settings: SettingsStore }): Pick<Handlers, 'settings.get' | 'settings.update'> {
  return {
    'settings.get': async () => ({ data: await d.settings.get() }),
    'settings.update': async (patch) => ({ data: await d.settings.update(patch) })
  }
}
