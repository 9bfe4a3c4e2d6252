import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { expect, test } from '@playwright/test'

const ROOT = resolve(__dirname, '../..')

/** `npm run start:web` as a child process (the renderer is already built by test:e2e). */
async function startWeb(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/web/cli.ts'], {
    cwd: ROOT,
    env: { ...process.env, KEYDESK_DATA_DIR: mkdtempSync(join(tmpdir(), 'keydesk-web-e2e-')), KEYDESK_NO_BROWSER: '1' },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let out = ''
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`start:web printed no URL:\n${out}`)), 30_000)
    child.stdout!.on('data', (d) => {
      out += d
      // What it prints is the 0600 launcher file's path (issue 12 C2): no token, no code.
      const m = /Open: (\S+open-keydesk\.html)/.exec(out)
      if (m && out.includes('Ctrl+C stops it.')) {
        clearTimeout(timer)
        resolve(pathToFileURL(m[1]!).href)
      }
    })
    child.stderr!.on('data', (d) => (out += d))
    child.on('exit', (code) => reject(new Error(`start:web exited ${code}:\n${out}`)))
  })
  return { url, child }
}

test('start:web serves the same app: Try the sandbox, then its keys, in Chromium', async ({ page }) => {
  const { url, child } = await startWeb()
  try {
    // The launcher forwards to the server with a one-time code, which leaves the address bar at once.
    await page.goto(url)
    await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\//)
    await expect.poll(() => page.url()).not.toContain('code=')
    await page.getByRole('button', { name: 'Try the sandbox' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Sandbox (demo)' })).toBeVisible()
    await expect(page.getByRole('grid', { name: 'API keys' }).getByRole('row').nth(3)).toBeVisible()

    // Create a key (copy-once), then revoke it, through the web transport.
    await page.getByRole('button', { name: 'Create key' }).click()
    const create = page.getByRole('dialog', { name: 'Create API key' })
    await create.getByLabel('Name').fill('web-preview-key')
    await create.getByRole('button', { name: 'Audit reader' }).click()
    await create.getByRole('button', { name: 'Create key' }).click()
    const once = page.getByRole('dialog', { name: 'Copy your new key' })
    await once.getByRole('button', { name: 'Reveal key' }).click()
    await expect(once.locator('code.secret')).toContainText('mqu_test_')
    await once.getByLabel('I have stored this key').check()
    await once.getByRole('button', { name: 'Done' }).click()
    await page.getByRole('searchbox', { name: 'Search keys' }).fill('web-preview-key')
    await page.getByRole('grid', { name: 'API keys' }).getByRole('row').nth(1).click()
    await page.getByRole('button', { name: 'Revoke…' }).click()
    const revoke = page.getByRole('dialog', { name: 'Revoke API key' })
    // The sandbox is an Open tenant: one explicit button naming key and tenant, nothing typed.
    await expect(revoke.getByLabel('Type the key name to confirm')).toHaveCount(0)
    await revoke.getByRole('button', { name: 'Revoke web-preview-key in Sandbox (demo)' }).click()
    await expect(page.getByRole('grid', { name: 'API keys' }).getByRole('row').nth(1)).toContainText('Revoked')

    // Without the token the same endpoint refuses.
    const origin = new URL(page.url()).origin
    const refused = await page.evaluate(
      async (o) =>
        (await fetch(`${o}/rpc`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"channel":"tenants.list"}' })).status,
      origin
    )
    expect(refused).toBe(401)
  } finally {
    child.kill('SIGTERM')
  }
})
