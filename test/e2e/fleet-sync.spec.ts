import { join } from 'node:path'
import { createServer } from 'node:net'
import { startSandbox, type SandboxHandle } from '../../src/sandbox'
import { expect, snap, test, type Harness } from './harness/fixtures'

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })

/** Two tenants on one host this test can stop and start on the same port, added as the core's own calls. */
async function twoTenantsOnOneHost(harness: Harness) {
  const port = await freePort()
  const dir = join(harness.dataDir, 'fleet-host')
  const box = { host: (await startSandbox({ port, tenants: 2, seedKeys: 12, dataDir: dir, quiet: true })) as SandboxHandle }
  for (const [i, t] of box.host.tenants.entries()) {
    const r = await harness.core.invoke('tenants.add', {
      label: `fleet-${'ab'[i]}`,
      tenantId: t.id,
      baseUrl: box.host.url,
      environment: 'staging',
      adminKey: t.admin_key
    })
    if (!r.ok) throw new Error(r.error.message)
  }
  return {
    box,
    stop: () => box.host.close(),
    start: async () => void (box.host = await startSandbox({ port, tenants: 2, dataDir: dir, quiet: true }))
  }
}

test.describe('fleet sync', () => {
  test.use({
    sandboxOptions: { port: 0, tenants: 1, seedKeys: 1, quiet: true },
    coreOptions: { timeoutMs: 1000, backgroundSync: { tickMs: 1000, probeTimeoutMs: 1000 } }
  })

  test('every tenant is synced without a visit; stopping and starting the host takes every tenant offline and back without clicking', async ({
    page,
    harness
  }) => {
    const fleet = await twoTenantsOnOneHost(harness)
    await harness.open(page)
    const nav = page.getByRole('navigation', { name: 'Tenants' })
    const entry = (label: string) => nav.getByRole('listitem').filter({ has: page.getByRole('button', { name: label, exact: true }) })
    await expect(page.getByRole('heading', { level: 1, name: 'fleet-a' })).toBeVisible()
    // fleet-b was never opened, yet its data is in the store and says how fresh it is.
    await expect(entry('fleet-b').getByText(/^as of (just now|\d+ (second|minute)s? ago)$/)).toBeVisible({ timeout: 15_000 })
    await expect(entry('fleet-b').getByText(/^\d+ active/)).toBeVisible()

    await fleet.stop()
    // No click: the probe notices the host is gone, every tenant on it goes offline, and the active one's banner says so.
    await expect(entry('fleet-a').getByText('offline', { exact: true })).toBeVisible({ timeout: 12_000 })
    await expect(entry('fleet-b').getByText('offline', { exact: true })).toBeVisible()
    await expect(page.getByRole('status').filter({ hasText: /^Offline — showing keys as of/ })).toBeVisible({ timeout: 12_000 })
    await expect(page.getByRole('button', { name: 'Create key' })).toBeDisabled()
    await snap(page, 'fleet-sync-host-down')

    await fleet.start()
    await expect(entry('fleet-a').getByText('online', { exact: true })).toBeVisible({ timeout: 12_000 })
    await expect(entry('fleet-b').getByText('online', { exact: true })).toBeVisible()
    await expect(page.getByRole('status').filter({ hasText: /^Offline — showing keys as of/ })).toBeHidden({ timeout: 12_000 })
    await expect(page.getByRole('button', { name: 'Create key' })).toBeEnabled()
    await fleet.stop()
  })
})

test.describe('fleet sync: a 429', () => {
  test.use({
    sandboxOptions: { port: 0, tenants: 1, seedKeys: 1, quiet: true },
    // No ticks: the storm is for the switch's own calls, not a probe's.
    coreOptions: { timeoutMs: 1000, backgroundSync: { tickMs: 600_000 } }
  })

  test('a 429 on switching keeps the stored list, says when it retries, and resumes by itself', async ({ page, harness }) => {
    const fleet = await twoTenantsOnOneHost(harness)
    // Sync all now fills both tenants' stored lists.
    await harness.open(page)
    await page.getByRole('button', { name: 'Sync all now' }).click()
    const nav = page.getByRole('navigation', { name: 'Tenants' })
    const entry = (label: string) => nav.getByRole('listitem').filter({ has: page.getByRole('button', { name: label, exact: true }) })
    await expect(entry('fleet-b').getByText(/^as of /)).toBeVisible({ timeout: 15_000 })
    await expect(page.getByRole('heading', { level: 1, name: 'fleet-a' })).toBeVisible()

    fleet.box.host.control.setFaults({ rate_limit_storm: { count: 2, retry_after_seconds: 4 } })
    await entry('fleet-b').getByRole('button', { name: 'fleet-b', exact: true }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'fleet-b' })).toBeVisible()
    const banner = page.getByRole('status').filter({ hasText: /^Rate-limited — showing keys as of .*, retrying in \d+ s\./ })
    await expect(banner).toBeVisible()
    // The stored list stays; one message, not two; writes wait with the reason.
    await expect(page.getByText('12 keys')).toBeVisible()
    await expect(page.getByText(/rate limit/i)).toHaveCount(1)
    await expect(page.getByRole('alert')).toHaveCount(0)
    await expect(page.getByRole('button', { name: 'Create key' })).toBeDisabled()
    await snap(page, 'fleet-sync-rate-limited')

    // Retry-After passes: the list is asked again by itself.
    await expect(banner).toBeHidden({ timeout: 10_000 })
    await expect(page.getByRole('button', { name: 'Create key' })).toBeEnabled()
    await expect(page.getByText('12 keys')).toBeVisible()
    await fleet.stop()
  })
})
