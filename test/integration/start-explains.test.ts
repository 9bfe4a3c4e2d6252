import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

// `npm start` where Electron cannot start must explain itself in one paragraph, never a stack trace.
function start(env: NodeJS.ProcessEnv) {
  const merged: NodeJS.ProcessEnv = { ...process.env, ...env }
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete merged[k]
  return spawnSync(process.execPath, ['scripts/start.mjs'], { env: merged, encoding: 'utf8', timeout: 60_000 })
}

describe('npm start where Electron cannot start', () => {
  it('names the missing binary and the fixes, and exits non-zero', () => {
    const run = start({ ELECTRON_OVERRIDE_DIST_PATH: join(tmpdir(), 'keydesk-no-electron-here') })
    expect(run.status).toBe(1)
    expect(run.stderr).toMatch(/Electron binary is not installed/)
    expect(run.stderr).toMatch(/ELECTRON_MIRROR/)
    expect(run.stderr).toMatch(/ELECTRON_OVERRIDE_DIST_PATH/)
    expect(run.stderr).toMatch(/npm run start:web/)
    expect(run.stderr).not.toMatch(/^\s+at /m)
  })

  it.runIf(process.platform === 'linux')('names a missing display', () => {
    const dist = mkdtempSync(join(tmpdir(), 'keydesk-fake-electron-'))
    writeFileSync(join(dist, 'electron'), '')
    const run = start({ ELECTRON_OVERRIDE_DIST_PATH: dist, DISPLAY: undefined, WAYLAND_DISPLAY: undefined })
    expect(run.status).toBe(1)
    expect(run.stderr).toMatch(/there is no display/)
    expect(run.stderr).toMatch(/xvfb-run/)
    expect(run.stderr).not.toMatch(/^\s+at /m)
  })
})
