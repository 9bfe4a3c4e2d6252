// npm run start:web — the same core (router, keychain, data dir, embedded sandbox) behind a
// loopback web server, for machines where Electron cannot start.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { createCore, createKeytarSecretStore } from '../core'
import { defaultDataDir } from '../core/data-dir'
import { createLogger } from '../core/log'
import { writeLauncher } from './launcher'
import { startWebServer } from './server'

async function main() {
  const log = createLogger()
  const rendererDir = join(process.cwd(), 'out', 'renderer')
  if (!existsSync(join(rendererDir, 'index.html'))) {
    process.stderr.write('The renderer is not built yet: run `npm run build` first (npm run start:web does it for you).\n')
    process.exit(1)
  }
  const dataDir = defaultDataDir()
  // keytar runs in a forked worker: a native crash there (a locked keyring) cannot end this process.
  const secretStore = createKeytarSecretStore()
  const core = createCore({ dataDir, secretStore, logger: log, appVersion: process.env.npm_package_version, backgroundSync: {} })
  // The launcher is removed once its code was exchanged: from then on it only holds a used code.
  const redeemed: { remove?: () => Promise<void> } = {}
  const web = await startWebServer({
    core,
    rendererDir,
    log,
    port: Number(process.env.KEYDESK_WEB_PORT ?? 0),
    onCodeRedeemed: () => void redeemed.remove?.()
  })
  const launcher = await writeLauncher(web.launchUrl())
  redeemed.remove = launcher.remove
  // Neither the session token nor the one-time code is printed: only the address and the
  // launcher's path (a file only this user can read).
  process.stdout.write(
    `KeyDesk (web preview) is running on ${web.origin} (only this machine can connect).\n\n` +
      `  Open: ${launcher.path}\n\n` +
      `That file (readable by you only) opens KeyDesk in your browser once; after that it is deleted.\n` +
      `Data: ${dataDir}\nCtrl+C stops it.\n`
  )
  if (!process.env.KEYDESK_NO_BROWSER && !process.env.CI) openBrowser(launcher.path)
  const stop = async () => {
    await launcher.remove()
    await web.close()
    await core.dispose()
    await secretStore.dispose()
    process.exit(0)
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

/** Opens the launcher file: its path is all the browser launcher's argv ever shows. */
function openBrowser(launcherPath: string) {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open'
  try {
    const child = spawn(cmd, [launcherPath], { stdio: 'ignore', detached: true })
    child.on('error', () => {})
    child.unref()
  } catch {
    // No browser launcher here (SSH, container): the printed launcher path is enough.
  }
}

main().catch((err) => {
  process.stderr.write(`KeyDesk web preview failed to start: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
})
