import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createServer } from 'node:net'
import { startSandbox } from '../../src/sandbox'
import { expect, snap, test } from './harness/fixtures'

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })

test.describe('offline', () => {
  test.use({ sandboxOptions: { port: 0, tenants: 1, seedKeys: 2, quiet: true } })

  test('sandbox stops mid-session → banner, cached list, writes disabled; back → resync summary; start offline → cached data', async ({
    page,
    harness
  }) => {
    // A tenant on its own sandbox that this test can stop and restart on the same port.
    const port = await freePort()
    const dir = join(harness.dataDir, 'remote-sandbox')
    let remote = await startSandbox({ port, tenants: 1, seedKeys: 30, dataDir: dir, quiet: true })
    const t = remote.tenants[0]!
    await harness.open(page)
    const dialog = page.getByRole('button', { name: 'Add tenant' }).first()
    await dialog.click()
    const add = page.getByRole('dialog', { name: 'Add tenant' })
    await add.getByLabel('Label').fill('train-ride')
    await add.getByLabel('Base URL').fill(remote.url)
    await add.getByLabel('Tenant ID').fill(t.id)
    await add.getByLabel('Admin key').fill(t.admin_key)
    await add.getByRole('button', { name: 'Verify and save' }).click()
    await expect(page.getByText('30 keys')).toBeVisible()

    // The store's files (database and WAL) hold no key name or preview in clear text.
    const files = readdirSync(harness.dataDir).filter((f) => f.startsWith('keydesk.db'))
    expect(files).toContain('keydesk.db')
    const raw = Buffer.concat(files.map((f) => readFileSync(join(harness.dataDir, f))))
    const list = await harness.core.invoke('keys.listAll', { tenant: (await tenantId(harness, 'train-ride'))! })
    if (!list.ok) throw new Error(list.error.message)
    for (const k of (list.data as { keys: { name: string; key_preview: string }[] }).keys) {
      expect(raw.includes(k.name)).toBe(false)
      expect(raw.includes(k.key_preview)).toBe(false)
    }

    await remote.close()
    await page
      .getByRole('button', { name: 'Syncing…' })
      .waitFor({ state: 'detached' })
      .catch(() => {})
    await page.reload()
    const banner = page.getByRole('status').filter({ hasText: /^Offline — showing keys as of/ })
    await expect(banner).toBeVisible()
    await expect(page.getByText('30 keys')).toBeVisible()
    await expect(page.getByRole('button', { name: 'Create key' })).toBeDisabled()
    await expect(page.getByRole('navigation', { name: 'Tenants' }).getByText('offline')).toBeVisible()
    await snap(page, 'offline-banner')

    // Someone adds keys while we are away; the sandbox comes back; Retry now resyncs with a summary.
    remote = await startSandbox({ port, tenants: 1, dataDir: dir, quiet: true })
    remote.control.seed(t.id, 3)
    await banner.getByRole('button', { name: 'Retry now' }).click()
    await expect(page.getByText(/Back online\. Since the last sync: 3 keys added/)).toBeVisible()
    await expect(page.getByText('33 keys')).toBeVisible()
    await expect(page.getByRole('button', { name: 'Create key' })).toBeEnabled()
    await snap(page, 'offline-resynced')

    // Start with MeshQu down: the tenant and its keys come from the snapshot.
    await remote.close()
    await harness.restart()
    await page.reload()
    await expect(page.getByRole('status').filter({ hasText: /^Offline — showing keys as of/ })).toBeVisible()
    await expect(page.getByText('33 keys')).toBeVisible()
  })
})

async function tenantId(h: { core: { invoke: (c: string, p: unknown) => Promise<unknown> } }, label: string) {
  const r = (await h.core.invoke('tenants.list', {})) as { ok: boolean; data: { tenants: { id: string; label: string }[] } }
  return r.data.tenants.find((t) => t.label === label)?.id
}
