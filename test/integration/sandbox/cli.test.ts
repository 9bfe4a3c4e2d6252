import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { call, sleep } from './helpers'

// `tsx src/sandbox/cli.ts` as a user runs it.
const root = resolve(__dirname, '../../..')
const tsx = join(root, 'node_modules/.bin/tsx')
const cli = join(root, 'src/sandbox/cli.ts')

function run(args: string[]) {
  const child = spawn(tsx, [cli, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stderr += d))
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
  return { child, exited, out: () => stdout, err: () => stderr }
}

describe('sandbox CLI', () => {
  it('starts, writes --credentials-out (0600), prints the tenants, stops on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-cli-'))
    const credsPath = join(dir, 'creds.json')
    const p = run([
      '--port',
      '0',
      '--tenants',
      '2',
      '--seed-keys',
      '4',
      '--rate-limit',
      '50',
      '--window-seconds',
      '10',
      '--credentials-out',
      credsPath
    ])
    try {
      for (let i = 0; i < 150 && !(existsSync(credsPath) && p.out().includes('Press Ctrl+C')); i++) await sleep(100)
      const creds = JSON.parse(readFileSync(credsPath, 'utf8'))
      expect(statSync(credsPath).mode & 0o777).toBe(0o600)
      expect(Object.keys(creds).sort()).toEqual(['tenants', 'url'])
      expect(creds.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect(creds.tenants).toHaveLength(2)
      for (const t of creds.tenants) {
        expect(Object.keys(t).sort()).toEqual(['admin_key', 'id', 'name'])
        expect(p.out()).toContain(t.id)
        expect(p.out()).toContain(t.name)
        expect(p.out()).toContain(t.admin_key)
      }
      expect(p.out()).toContain(creds.url)
      const t = creds.tenants[0]
      const list = await call(creds.url, '/v1/api-keys', { key: t.admin_key, tenant: t.id })
      expect(list.status).toBe(200)
      expect(list.body.pagination.total).toBe(4)
      expect(list.headers.get('rate-limit-limit')).toBe('50')
    } finally {
      p.child.kill('SIGTERM')
    }
    expect(await p.exited).toBe(0)
  })

  it('rejects bad flags with exit code 2 and a clear message', async () => {
    const cases: [string[], RegExp][] = [
      [['--port', 'abc'], /--port/],
      [['--port', '70000'], /--port/],
      [['--tenants', '-1'], /--tenants/],
      [['--window-seconds', '0'], /--window-seconds/],
      [['--frobnicate'], /frobnicate/],
      [['stray'], /positional|stray/i]
    ]
    await Promise.all(
      cases.map(async ([args, message]) => {
        const p = run(args)
        expect(await p.exited, args.join(' ')).toBe(2)
        expect(p.err()).toMatch(message)
        expect(p.err()).toContain('--help')
      })
    )
  })

  it('--help prints the usage and exits 0', async () => {
    const p = run(['--help'])
    expect(await p.exited).toBe(0)
    expect(p.out()).toContain('--credentials-out')
    expect(p.out()).toContain('--data-dir')
  })
})
