// npm run start:web — the same core (router, keychain, data dir, embedded sandbox) behind a
// loopback web server, for machines where Electron cannot start.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { createCore, createKeytarSecretStore } from '../core'
import { defaultDataDir } from '../core/data-dir'
import { createLogger } from '../core/log'
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
  const core = createCore({ dataDir, secretStore, logger: log, appVersion: process.env.npm_package_version })
  const web = await startWebServer({ core, rendererDir, log, port: Number(process.env.KEYDESK_WEB_PORT ?? 0) })
  process.stdout.write(`KeyDesk (web preview) is running.\n\n  Open: ${web.url}\n\nData: ${dataDir}\nOnly this machine can connect (127.0.0.1); the link carries a one-time token. Ctrl+C stops it.\n`)
  if (!process.env.KEYDESK_NO_BROWSER && !process.env.CI) openBrowser(web.url)
  const stop = async () => {
    await web.close()
    await core.dispose()
    await secretStore.dispose()
    process.exit(0)
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

function openBrowser(url: string) {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open'
  try {
    const child = spawn(cmd, [url], { stdio: 'ignore', detached: true })
    child.on('error', () => {})
    child.unref()
  } catch {
    // No browser launcher here (SSH, container): the printed URL is enough.
  }
}

main().catch((err) => {
  process.stderr.write(`KeyDesk web preview failed to start: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
})
