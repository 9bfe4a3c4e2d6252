import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'

// Issue 12 C2: `npm run start:web` must not put the session token on a command line or the
// terminal. It prints the address and a 0600 launcher file; the file holds a one-time code.
const ROOT = resolve(__dirname, '../..')
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href

function startCli() {
  const cwd = mkdtempSync(join(tmpdir(), 'keydesk-webcli-'))
  mkdirSync(join(cwd, 'out', 'renderer'), { recursive: true })
  writeFileSync(join(cwd, 'out', 'renderer', 'index.html'), '<!doctype html><title>KeyDesk</title>')
  const child = spawn(process.execPath, ['--import', TSX, join(ROOT, 'src/main/web/cli.ts')], {
    cwd,
    env: { ...process.env, KEYDESK_DATA_DIR: join(cwd, 'data'), KEYDESK_NO_BROWSER: '1' },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let out = ''
  const ready = new Promise<string>((resolveOut, reject) => {
    child.stdout.on('data', (d) => {
      out += d
      if (out.includes('Ctrl+C stops it.')) resolveOut(out)
    })
    child.stderr.on('data', (d) => (out += d))
    child.on('exit', (code) => reject(new Error(`start:web exited ${code}:\n${out}`)))
  })
  return { child, ready, output: () => out }
}

describe('npm run start:web', () => {
  it('prints no token and no code: only the address and a 0600 launcher whose one-time code gives the session once', async () => {
    const { child, ready, output } = startCli()
    try {
      const printed = await ready
      const origin = /running on (http:\/\/127\.0\.0\.1:\d+)/.exec(printed)![1]!
      const launcher = /Open: (\S+open-keydesk\.html)/.exec(printed)![1]!
      expect(statSync(launcher).mode & 0o777).toBe(0o600)
      expect(statSync(resolve(launcher, '..')).mode & 0o777).toBe(0o700)
      const url = /url=([^"]+)"/.exec(readFileSync(launcher, 'utf8'))![1]!
      expect(url.startsWith(`${origin}/#code=`)).toBe(true)
      const code = url.split('#code=')[1]!

      expect(printed).not.toContain(code)
      expect(printed).not.toMatch(/token=|#code=/)
      const exchange = () =>
        fetch(`${origin}/session`, { method: 'POST', headers: { 'content-type': 'application/json', origin }, body: JSON.stringify({ code }) })
      const first = await exchange()
      expect(first.status).toBe(200)
      const { token } = (await first.json()) as { token: string }
      expect(output()).not.toContain(token)
      expect((await exchange()).status).toBe(401)
      // The token it gave works; the used launcher is gone.
      const rpc = await fetch(`${origin}/rpc`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin, authorization: `Bearer ${token}` },
        body: JSON.stringify({ channel: 'sandbox.status', payload: {} })
      })
      expect(await rpc.json()).toMatchObject({ ok: true, data: { running: false } })
      await expect.poll(() => existsSync(launcher)).toBe(false)
    } finally {
      child.kill('SIGTERM')
    }
  })
})
