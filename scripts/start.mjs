#!/usr/bin/env node
// `npm start`: open KeyDesk in Electron, or explain in one paragraph why it cannot start here and
// what to do instead. Never a stack trace.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const require = createRequire(import.meta.url)

function electronBinary() {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const exe = process.platform === 'win32' ? 'electron.exe' : process.platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : 'electron'
    const p = join(process.env.ELECTRON_OVERRIDE_DIST_PATH, exe)
    return existsSync(p) ? p : null
  }
  try {
    const pkgDir = dirname(require.resolve('electron/package.json'))
    const rel = readFileSync(join(pkgDir, 'path.txt'), 'utf8').trim()
    const p = join(pkgDir, 'dist', rel)
    return existsSync(p) ? p : null
  } catch {
    return null
  }
}

function explain(cause) {
  process.stderr.write(
    `\nKeyDesk cannot open its desktop window here: ${cause}\n\n` +
      'Fixes: let npm fetch Electron (set ELECTRON_MIRROR to a reachable mirror, or ' +
      'ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron 45, then run `npx electron --version`); ' +
      'on a machine without a display install and start one (e.g. `xvfb-run npm start` on Linux) ' +
      'or use a desktop session; or run the same app in your browser with `npm run start:web` ' +
      '(same core, keychain and data, served on 127.0.0.1).\n\n'
  )
  process.exit(1)
}

let binary = electronBinary()
if (!binary && !process.env.ELECTRON_OVERRIDE_DIST_PATH) {
  // Electron fetches its binary on first use; give it one quiet chance.
  const probe = spawnSync(process.execPath, ['-e', "require('electron')"], { stdio: 'ignore', timeout: 120_000 })
  binary = probe.status === 0 ? electronBinary() : null
}
if (!binary) explain('the Electron binary is not installed and could not be downloaded (no network access to its release host?).')
if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  explain('there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set; an SSH session or a container?).')
}

const child = spawn(process.platform === 'win32' ? 'npx.cmd' : 'npx', ['electron-vite', 'preview', ...process.argv.slice(2)], { stdio: 'inherit' })
child.on('exit', (code) => process.exit(code ?? 1))
