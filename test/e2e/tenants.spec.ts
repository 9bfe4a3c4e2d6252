import { createServer } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { addTenantShown, addTenantViaUi, expect, snap, test, rendererHeap } from './harness/fixtures'
import { isTenantAccount } from '../../src/main/core/tenants/keychain-accounts'

test.describe('tenants', () => {
  test('first run → Try the sandbox → its keys are visible', async ({ page, harness }) => {
    await harness.open(page)
    await page.getByRole('button', { name: 'Try the sandbox' }).click()
    const nav = page.getByRole('navigation', { name: 'Tenants' })
    await expect(nav.getByRole('button', { name: 'Sandbox (demo)' })).toBeVisible()
    await expect(page.getByRole('heading', { level: 1, name: 'Sandbox (demo)' })).toBeVisible()
    await expect(page.getByRole('grid', { name: 'API keys' }).getByRole('row').nth(5)).toBeVisible()
    await expect(page.getByText('240 keys')).toBeVisible()
    await snap(page, 'tenants-sandbox')
  })

  test('add a tenant with a wrong key, then the right one; switch with Ctrl+K and Ctrl+1; remove it', async ({ page, harness }) => {
    await harness.open(page)
    const other = harness.sandbox.tenants[1]!.admin_key
    const dialog = await addTenantViaUi(page, harness, 0, { label: 'acme-prod', environment: 'production', adminKey: other })
    await expect(dialog.getByRole('alert')).toContainText('403')
    await dialog.getByLabel('Admin key').fill(harness.sandbox.tenants[0]!.admin_key)
    await dialog.getByRole('button', { name: 'Verify and save' }).click()
    await expect(dialog).toBeHidden()
    await addTenantViaUi(page, harness, 1, { label: 'acme-staging' })
    await expect(page.getByRole('heading', { level: 1, name: 'acme-staging' })).toBeVisible()

    // Quick switcher with fuzzy search, then Ctrl+number.
    await page.keyboard.press('Control+k')
    const switcher = page.getByRole('dialog', { name: 'Switch tenant' })
    await expect(switcher).toBeVisible()
    await switcher.getByRole('combobox').fill('acpr')
    await snap(page, 'tenants-switcher')
    await page.keyboard.press('Enter')
    await expect(switcher).toBeHidden()
    await expect(page.getByRole('heading', { level: 1, name: 'acme-prod' })).toBeVisible()
    await page.keyboard.press('Control+2')
    await expect(page.getByRole('heading', { level: 1, name: 'acme-staging' })).toBeVisible()

    // Removing a production tenant needs its label typed.
    await page.getByRole('navigation', { name: 'Tenants' }).getByRole('button', { name: 'acme-prod', exact: true }).click()
    await page.getByRole('button', { name: 'Tenant settings' }).click()
    await page.getByRole('button', { name: 'Remove tenant…' }).click()
    const remove = page.getByRole('dialog', { name: 'Remove tenant' })
    const confirm = remove.getByRole('button', { name: 'Remove acme-prod' })
    await expect(confirm).toBeDisabled()
    await remove.getByLabel('Type the tenant label to confirm').fill('acme-prod')
    await snap(page, 'tenants-remove')
    await confirm.click()
    await expect(remove).toBeHidden()
    await expect(page.getByRole('navigation', { name: 'Tenants' }).getByRole('button', { name: 'acme-prod', exact: true })).toHaveCount(0)
    // Only acme-staging's admin key (and the offline cache's data key) remain in the keychain.
    expect((await harness.secrets.list()).filter(isTenantAccount)).toHaveLength(1)
  })

  test("rapid switching never shows one tenant's rows under another's header", async ({ page, harness }) => {
    // Distinct markers per tenant, made through MeshQu itself.
    await harness.open(page)
    // Each add must have been saved before main is asked for the list: one read while "beta"
    // still verifies has no beta in it.
    await addTenantShown(page, harness, 0, { label: 'alpha' })
    await addTenantShown(page, harness, 1, { label: 'beta' })
    const list = await harness.core.invoke('tenants.list', {})
    if (!list.ok) throw new Error(list.error.message)
    const ids = Object.fromEntries((list.data as { tenants: { id: string; label: string }[] }).tenants.map((t) => [t.label, t.id]))
    for (const label of ['alpha', 'beta']) {
      const r = await harness.core.invoke('keys.create', { tenant: ids[label], key: { name: `only-in-${label}`, scopes: ['audit:read'] } })
      if (!r.ok) throw new Error(r.error.message)
    }
    harness.sandbox.control.setFaults({ latency_ms: 120 })
    await page.reload()
    const nav = page.getByRole('navigation', { name: 'Tenants' })
    const search = page.getByRole('searchbox', { name: 'Search keys' })
    const order = ['alpha', 'beta', 'alpha', 'beta', 'beta', 'alpha', 'beta']
    for (const label of order) await nav.getByRole('button', { name: label, exact: true }).click()
    for (const label of ['beta', 'alpha', 'beta']) {
      await nav.getByRole('button', { name: label, exact: true }).click()
      const other = label === 'alpha' ? 'beta' : 'alpha'
      await expect(page.getByRole('heading', { level: 1, name: label })).toBeVisible()
      await search.fill('only-in')
      const table = page.getByRole('grid', { name: 'API keys' })
      await expect(table.getByRole('gridcell', { name: `only-in-${label}`, exact: true })).toBeVisible()
      await expect(table.getByRole('gridcell', { name: `only-in-${other}`, exact: true })).toHaveCount(0)
    }
    harness.sandbox.control.clearFaults()
  })
})

test('the admin key typed into Add tenant does not stay in the renderer', async ({ page, harness }) => {
  await harness.open(page)
  const adminKey = harness.sandbox.tenants[0]!.admin_key
  const dialog = await addTenantViaUi(page, harness, 0, { label: 'acme-staging' })
  await expect(dialog).toBeHidden()
  await expect(page.getByText('40 keys')).toBeVisible()
  const heap = await rendererHeap(page)
  expect(heap.length).toBeGreaterThan(100_000)
  expect(heap.includes(adminKey), 'renderer heap after the dialog closed').toBe(false)
  const storage = await page.evaluate(
    () => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.documentElement.outerHTML
  )
  expect(storage).not.toContain(adminKey)
})

test.describe('cancelling a verification (issue 13 §2.4)', () => {
  // A deadline short enough to wait past in a test; the sandbox answers "yes" before it.
  const DEADLINE_MS = 4_000
  const LATE_MS = 2_500
  test.use({ coreOptions: { timeoutMs: DEADLINE_MS } })

  test('Cancel during "Verifying…" returns to the form with its values; the tenant never appears, even after its "yes" was due', async ({
    page,
    harness
  }) => {
    const t = harness.sandbox.tenants[0]!
    harness.sandbox.control.setFaults({ latency_ms: LATE_MS })
    await harness.open(page)
    const dialog = await addTenantViaUi(page, harness, 0, { label: 'slow-host' })
    await expect(dialog.getByRole('button', { name: 'Verifying…' })).toBeDisabled()
    await dialog.getByRole('button', { name: 'Cancel', exact: true }).click()

    await expect(dialog.getByRole('status')).toContainText('Verification cancelled. slow-host was not added')
    await expect(dialog.getByRole('button', { name: 'Verify and save' })).toBeEnabled()
    await expect(dialog.getByLabel('Base URL')).toBeFocused()
    await expect(dialog.getByLabel('Label')).toHaveValue('slow-host')
    await expect(dialog.getByLabel('Tenant ID')).toHaveValue(t.id)
    await expect(dialog.getByLabel('Admin key')).toHaveValue(t.admin_key)
    await snap(page, 'tenants-verify-cancelled')

    // Past the moment the sandbox's "yes" would have come, and past the verification's deadline.
    await page.waitForTimeout(DEADLINE_MS + 500)
    await expect(dialog).toBeVisible()
    await expect(page.getByRole('navigation', { name: 'Tenants' }).getByRole('button', { name: 'slow-host', exact: true })).toHaveCount(0)
    const list = await harness.core.invoke('tenants.list', {})
    expect(list.ok && (list.data as { tenants: unknown[] }).tenants).toEqual([])
    expect((await harness.secrets.list()).filter(isTenantAccount)).toEqual([])

    // The kept values are good as they are once the host answers in time.
    harness.sandbox.control.clearFaults()
    await dialog.getByRole('button', { name: 'Verify and save' }).click()
    await expect(dialog).toBeHidden()
    await expect(page.getByRole('navigation', { name: 'Tenants' }).getByRole('button', { name: 'slow-host', exact: true })).toBeVisible()
  })

  test('Esc while verifying against a host that never answers closes the dialog, and main hangs up at once', async ({ page, harness }) => {
    const sockets: Socket[] = []
    const deaf = createServer((req) => void sockets.push(req.socket))
    await new Promise<void>((r) => deaf.listen(0, '127.0.0.1', r))
    try {
      await harness.open(page)
      await page.getByRole('button', { name: 'Add tenant' }).first().click()
      const dialog = page.getByRole('dialog', { name: 'Add tenant' })
      await dialog.getByLabel('Label').fill('deaf-host')
      await dialog.getByLabel('Base URL').fill(`http://127.0.0.1:${(deaf.address() as AddressInfo).port}`)
      await dialog.getByLabel('Tenant ID').fill(harness.sandbox.tenants[0]!.id)
      await dialog.getByLabel('Admin key').fill(harness.sandbox.tenants[0]!.admin_key)
      await dialog.getByRole('button', { name: 'Verify and save' }).click()
      await expect(dialog.getByRole('button', { name: 'Verifying…' })).toBeDisabled()
      await expect.poll(() => sockets.length).toBe(1)
      const hungUp = new Promise<number>((r) => sockets[0]!.once('close', () => r(Date.now())))
      const pressed = Date.now()
      await page.keyboard.press('Escape')
      await expect(dialog).toBeHidden()
      // Well inside the deadline: main stopped verifying, it did not just stop being watched.
      expect((await hungUp) - pressed).toBeLessThan(DEADLINE_MS / 2)
      const list = await harness.core.invoke('tenants.list', {})
      expect(list.ok && (list.data as { tenants: unknown[] }).tenants).toEqual([])
      expect((await harness.secrets.list()).filter(isTenantAccount)).toEqual([])
    } finally {
      deaf.closeAllConnections()
      await new Promise((r) => deaf.close(r))
    }
  })
})
