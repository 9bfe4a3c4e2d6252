import { homedir } from 'node:os'
import { join } from 'node:path'

export const APP_DIR_NAME = 'KeyDesk'

/**
 * Where KeyDesk keeps its data when Electron is not there to say (the web preview, CLIs): the same
 * folder as Electron's app.getPath('userData') for productName "KeyDesk". KEYDESK_DATA_DIR wins.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.KEYDESK_DATA_DIR) return env.KEYDESK_DATA_DIR
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_DIR_NAME)
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_DIR_NAME)
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_DIR_NAME)
}
