import { addTenantViaUi, expect, snap, test } from './harness/fixtures'

test.describe('the app frame', () => {
  test('first run, a tenant added through the form, its keys, search, headroom, themes', async ({ page, harness }) => {
    await harness.open(page)
    // First run: an empty state that offers both ways in.
    await expect(page.getByRole('navigation', { name: 'Tenants' })).toBeVisible()
    await expect(page.getByRole('heading', { name: 'Welcome to KeyDesk' })).toBeVisible()
    await expect(page.getByRole('button', { name: 'Try the sandbox' })).toBeVisible()
    await expect(page.getByRole('button', { name: 'Add tenant' }).first()).toBeVisible()
    await expect(page.getByRole('meter', { name: 'Rate-limit headroom' })).toHaveAttribute('aria-valuetext', 'headroom unknown')
    await snap(page, 'frame-empty-light')
    await page.emulateMedia({ colorScheme: 'dark' })
    await snap(page, 'frame-empty-dark')
    await page.emulateMedia({ colorScheme: 'light' })

    // A wrong admin key gets a clear sentence on the form, and nothing is saved.
    const wrong = harness.sandbox.tenants[0]!.admin_key.slice(0, -4) + 'zzzz'
    const dialog = await addTenantViaUi(page, harness, 0, { label: 'acme-staging', adminKey: wrong })
    await expect(dialog.getByRole('alert')).toContainText('did not accept this admin key (401)')
    await expect(dialog.getByText('MeshQu did not accept this admin key (401)', { exact: false }).first()).toBeVisible()
    await snap(page, 'add-tenant-wrong-key')
    await dialog.getByLabel('Admin key').fill(harness.sandbox.tenants[0]!.admin_key)
    await dialog.getByRole('button', { name: 'Verify and save' }).click()
    await expect(dialog).toBeHidden()

    // The tenant is in the sidebar, its keys in the table.
    const nav = page.getByRole('navigation', { name: 'Tenants' })
    await expect(nav.getByRole('button', { name: 'acme-staging' })).toBeVisible()
    const table = page.getByRole('table', { name: 'API keys' })
    await expect(table.getByRole('row')).not.toHaveCount(0)
    await expect(page.getByText('40 keys')).toBeVisible()
    await expect(page.getByRole('meter', { name: 'Rate-limit headroom' })).toHaveAttribute('aria-valuemax', '1000')

    // Search narrows the rows.
    const names = await table.getByRole('row').nth(1).getByRole('cell').nth(1).textContent()
    await page.getByRole('searchbox', { name: 'Search keys' }).fill(names!)
    await expect(page.getByText(/^1 of 40 keys$|^\d+ of 40 keys$/)).toBeVisible()
    await page.getByRole('searchbox', { name: 'Search keys' }).fill('')
    await snap(page, 'frame-tenant-light')
    await page.emulateMedia({ colorScheme: 'dark' })
    await snap(page, 'frame-tenant-dark')
  })

  test('a production tenant wears the PRODUCTION marker', async ({ page, harness }) => {
    await harness.open(page)
    await addTenantViaUi(page, harness, 1, { label: 'acme-prod', environment: 'production' })
    await expect(page.getByRole('note', { name: /PRODUCTION/ })).toBeVisible()
    await expect(page.getByRole('heading', { level: 1, name: 'acme-prod' })).toBeVisible()
    await snap(page, 'frame-production')
  })
})
