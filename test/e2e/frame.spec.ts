import type { Channel, ChannelInput, ChannelOutput } from '../../src/shared/contract'
import { addTenantViaUi, expect, snap, test, type Harness } from './harness/fixtures'

/** One typed call straight to the core, for setting the stage without the UI. */
async function call<C extends Channel>(h: Harness, channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const reply = await h.core.invoke(channel, input)
  if (!reply.ok) throw new Error(`${channel}: ${reply.error.message}`)
  return reply.data as ChannelOutput<C>
}

test.describe('the app frame', () => {
  // A render crash shows only the generic panel; keep its cause in the test's failure.
  const pageErrors: string[] = []
  test.beforeEach(({ page }) => {
    pageErrors.length = 0
    page.on('pageerror', (e) => pageErrors.push(e.stack ?? e.message))
    // React reports errors its boundary caught through console.error.
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) pageErrors.push(m.text())
    })
  })
  test.afterEach(() => {
    expect(pageErrors, 'uncaught errors in the page').toEqual([])
  })

  test('first run, a tenant added through the form, its keys, search, headroom, keyboard, themes', async ({ page, harness }) => {
    await harness.open(page)
    const nav = page.getByRole('navigation', { name: 'Tenants' })
    const meter = page.getByRole('meter', { name: 'Rate-limit headroom' })
    const footer = page.getByRole('contentinfo')

    // First run: an empty state that offers both ways in.
    await expect(nav).toBeVisible()
    await expect(nav.getByText('No tenants yet')).toBeVisible()
    await expect(page.getByRole('heading', { name: 'Welcome to KeyDesk' })).toBeVisible()
    await expect(page.getByRole('button', { name: 'Try the sandbox' })).toBeEnabled()
    await expect(nav.getByRole('button', { name: 'Add tenant' })).toBeVisible()
    await expect(page.getByRole('main').getByRole('button', { name: 'Add tenant' })).toBeVisible()
    await expect(meter).toHaveAttribute('aria-valuetext', 'headroom unknown')
    await expect(footer).toContainText('KeyDesk e2e')
    await snap(page, 'frame-empty')
    await page.emulateMedia({ colorScheme: 'dark' })
    await snap(page, 'frame-empty-dark')
    await page.emulateMedia({ colorScheme: 'light' })

    // A wrong admin key gets a clear sentence on the form, and nothing is saved.
    const wrong = harness.sandbox.tenants[0]!.admin_key.slice(0, -4) + 'zzzz'
    const dialog = await addTenantViaUi(page, harness, 0, { label: 'acme-staging', adminKey: wrong })
    await expect(dialog.getByRole('alert')).toContainText('MeshQu did not accept this admin key (401)')
    await expect(dialog.getByRole('alert')).toContainText('Correlation id')
    await expect(dialog.getByLabel('Admin key')).toHaveAttribute('type', 'password')
    await expect(nav.getByRole('button', { name: 'acme-staging', exact: true })).toHaveCount(0)
    await snap(page, 'add-tenant-wrong-key')
    await dialog.getByLabel('Admin key').fill(harness.sandbox.tenants[0]!.admin_key)
    await dialog.getByRole('button', { name: 'Verify and save' }).click()
    await expect(dialog).toBeHidden()

    // The tenant is in the sidebar under its environment, with a text badge; the header names it.
    const entry = nav.getByRole('button', { name: 'acme-staging', exact: true })
    await expect(entry).toBeVisible()
    await expect(nav.getByRole('listitem').filter({ has: page.getByRole('button', { name: 'acme-staging', exact: true }) })).toContainText('Staging')
    await expect(nav.getByRole('heading', { name: 'Staging' })).toBeVisible()
    const header = page.locator('.app-header')
    await expect(header.getByRole('heading', { level: 1, name: 'acme-staging' })).toBeVisible()
    await expect(header.getByText('Staging', { exact: true })).toBeVisible()
    await expect(header).toContainText('Synced')
    await expect(page.getByRole('note', { name: /PRODUCTION/ })).toHaveCount(0)

    // Its keys in the table, times relative with the exact UTC time on hover.
    const table = page.getByRole('grid', { name: 'API keys' })
    await expect(page.getByText('40 keys')).toBeVisible()
    await expect(table.getByRole('row').nth(10)).toBeVisible()
    await expect(table.getByRole('columnheader', { name: /Last used/ })).toBeVisible()
    await expect(table.locator('time').first()).toHaveAttribute('title', /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/)

    // The status bar: headroom from the reply's rate-limit headers, sync time, version.
    await expect(meter).toHaveAttribute('aria-valuemax', '1000')
    await expect(meter).toHaveAttribute('aria-valuenow', /^\d+$/)
    await expect(meter).toHaveAttribute('aria-valuetext', /^\d+ of 1000 requests left$/)
    await expect(footer).toContainText(/Synced \d\d:\d\d/)

    // `/` focuses the search box, which filters the rows client-side.
    const search = page.getByRole('searchbox', { name: 'Search keys' })
    await page.locator('.app-header h1').click()
    await page.keyboard.press('/')
    await expect(search).toBeFocused()
    const name = (await table.getByRole('row').nth(2).getByRole('gridcell').nth(1).textContent())!.trim()
    await page.keyboard.type(name)
    await expect(page.getByText(/^\d+ of 40 keys$/)).toBeVisible()
    await expect(table.getByRole('row').filter({ hasText: name }).first()).toBeVisible()
    await search.fill('no-such-key-anywhere')
    await expect(page.getByText('No key matches this search and these filters.')).toBeVisible()
    await search.fill('')
    await expect(page.getByText('40 keys')).toBeVisible()
    await search.blur()

    await snap(page, 'frame-tenant')
    await page.emulateMedia({ colorScheme: 'dark' })
    await snap(page, 'frame-tenant-dark')
  })

  test('a production tenant wears the PRODUCTION marker; Ctrl+1…9 picks the n-th tenant on screen', async ({ page, harness }) => {
    await harness.open(page)
    await addTenantViaUi(page, harness, 0, { label: 'acme-staging', environment: 'staging' })
    await expect(page.getByRole('heading', { level: 1, name: 'acme-staging' })).toBeVisible()
    await addTenantViaUi(page, harness, 1, { label: 'acme-prod', environment: 'production' })
    await expect(page.getByRole('heading', { level: 1, name: 'acme-prod' })).toBeVisible()
    await expect(page.getByRole('note', { name: /PRODUCTION/ })).toBeVisible()
    await expect(page.getByRole('note', { name: /PRODUCTION/ })).toHaveText('PRODUCTION')
    await expect(page.getByRole('grid', { name: 'API keys' }).getByRole('row').nth(5)).toBeVisible()

    // The sidebar groups Production first, so Ctrl+1 is acme-prod and Ctrl+2 acme-staging.
    await page.keyboard.press('Control+2')
    await expect(page.getByRole('heading', { level: 1, name: 'acme-staging' })).toBeVisible()
    await expect(page.getByRole('note', { name: /PRODUCTION/ })).toHaveCount(0)
    await page.keyboard.press('Control+1')
    await expect(page.getByRole('heading', { level: 1, name: 'acme-prod' })).toBeVisible()
    await expect(page.getByRole('grid', { name: 'API keys' }).getByRole('row').nth(5)).toBeVisible()
    await snap(page, 'frame-production')
    await page.emulateMedia({ colorScheme: 'dark' })
    await snap(page, 'frame-production-dark')
  })

  test('a key list MeshQu refuses shows one state, "admin key refused", leading to the tenant settings', async ({ page, harness }) => {
    // A tenant whose admin key is revoked after it was saved: the list answers 401.
    const t = harness.sandbox.tenants[0]!
    const added = await call(harness, 'tenants.add', {
      label: 'acme-dev',
      environment: 'development',
      baseUrl: harness.sandbox.url,
      tenantId: t.id,
      adminKey: t.admin_key
    })
    const { keys } = await call(harness, 'keys.listAll', { tenant: added.id })
    const own = keys.find((k) => k.key_preview === added.adminKeyPreview)
    if (!own) throw new Error('the admin key is not in its own tenant list')
    await call(harness, 'keys.revoke', { tenant: added.id, id: own.id })

    await harness.open(page)
    await expect(page.getByRole('heading', { level: 1, name: 'acme-dev' })).toBeVisible()
    const error = page.getByRole('alert').filter({ hasText: '401' })
    await expect(error).toBeVisible()
    await expect(error).toContainText('admin key')
    // One state (issue 13 §2.6): no Offline banner, no VPN hint, no Retry that cannot help.
    await expect(page.getByRole('alert').filter({ hasText: '401' })).toHaveCount(1)
    await expect(page.getByText(/VPN/)).toHaveCount(0)
    await expect(error.getByRole('button', { name: 'Retry' })).toHaveCount(0)
    // The sidebar learns of it too, in words beside the status dot.
    await expect(
      page.getByRole('navigation', { name: 'Tenants' }).getByRole('button', { name: 'acme-dev', exact: true })
    ).toHaveAccessibleDescription(/admin key refused/)
    await snap(page, 'frame-keys-error')
    await error.getByRole('button', { name: 'Open tenant settings' }).click()
    await expect(page.getByRole('dialog', { name: /settings/i })).toBeVisible()
  })
})
