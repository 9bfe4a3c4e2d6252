import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { build } from 'vite'

const ROOT = resolve(__dirname, '../../..')
let bundled: Promise<string> | undefined

/** createBridge (src/shared/bridge.ts, the preload's own) bundled once per run as an IIFE, to inject into a page. */
export function bridgeBundle(): Promise<string> {
  bundled ??= (async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'keydesk-bridge-'))
    await build({
      configFile: false,
      logLevel: 'error',
      build: {
        outDir,
        emptyOutDir: true,
        lib: { entry: join(ROOT, 'test/e2e/harness/bridge-entry.ts'), formats: ['iife'], name: 'KeyDeskBridge', fileName: () => 'bridge.js' },
        minify: false
      }
    })
    return join(outDir, 'bridge.js')
  })()
  return bundled
}
