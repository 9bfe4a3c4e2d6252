import type { Page } from '@playwright/test'
import { addTenantViaUi, expect, test, type Harness } from './harness/fixtures'

// Issue 13 §2.8: focus returns where it came from after every dialog, in real Chromium (the native
// <dialog> makes the rest of the page inert while it is open, which jsdom does not model).

async function openTenant(page: Page, harness: Harness, label = 'acme-staging') {
  await harness.open(page)
  await addTenantViaUi(page, harness, 0, { label })
  await expect(page.getByText('40 keys')).toBeVisible()
  return page.getByRole('grid', { name: 'API keys' })
}

test('create key → copy-once → "I have stored this key" → Done: focus is back on Create key', async ({ page, harness }) => {
  await openTenant(page, harness)
  const createButton = page.getByRole('button', { name: 'Create key', exact: true })
  await createButton.click()
  const create = page.getByRole('dialog', { name: 'Create API key' })
  await create.getByLabel('Name').fill('kd-e2e-focus-key')
  await create.getByRole('button', { name: 'Evaluate only' }).click()
  await create.getByRole('button', { name: 'Create key', exact: true }).click()

  const once = page.getByRole('dialog', { name: 'Copy your new key' })
  await expect(once).toBeVisible()
  await expect(create).toBeHidden()
  await once.getByLabel('I have stored this key').check()
  await once.getByRole('button', { name: 'Done' }).click()
  await expect(once).toBeHidden()
  await expect(createButton).toBeFocused()
})

test('bulk revoke: Cancel returns to "Revoke selected"; after Done that button is gone, so focus lands on the keys grid', async ({
  page,
  harness
}) => {
  const grid = await openTenant(page, harness)
  // Revoked and expired keys have disabled boxes, KeyDesk's own admin key too: pick usable ones.
  await page.getByRole('button', { name: /^Active \d+$/ }).click()
  const boxes = grid.getByRole('checkbox', { name: /^Select (?!all)/, disabled: false })
  await boxes.nth(0).check()
  await boxes.nth(1).check()
  const revokeSelected = page.getByRole('button', { name: 'Revoke selected (2)' })
  const dialog = page.getByRole('dialog', { name: 'Revoke selected keys' })

  // Closed without revoking: the button it came from is still there.
  await revokeSelected.click()
  await expect(dialog).toBeVisible()
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await expect(dialog).toBeHidden()
  await expect(revokeSelected).toBeFocused()

  // Revoked: the two keys leave the selection (and the Active view), and with them the button.
  await revokeSelected.click()
  await dialog.getByLabel('Type the number of keys to confirm').fill('2')
  await dialog.getByRole('button', { name: 'Revoke 2 keys' }).click()
  await expect(dialog.getByText('2 of 2 revoked')).toBeVisible()
  await expect(dialog.getByText('Finished.')).toBeVisible()
  await dialog.getByRole('button', { name: 'Done' }).click()
  await expect(dialog).toBeHidden()
  await expect(page.getByRole('button', { name: /^Revoke selected/ })).toHaveCount(0)
  await expect(grid).toBeFocused()
})

test('remove tenant: focus lands on the tenant now shown in the sidebar, then on Add tenant when none is left', async ({ page, harness }) => {
  await openTenant(page, harness)
  await addTenantViaUi(page, harness, 1, { label: 'acme-other' })
  await expect(page.getByRole('heading', { level: 1, name: 'acme-other' })).toBeVisible()
  const nav = page.getByRole('navigation', { name: 'Tenants' })

  const remove = async (label: string) => {
    await page.getByRole('button', { name: 'Tenant settings' }).click()
    await page.getByRole('dialog', { name: 'Tenant settings' }).getByRole('button', { name: 'Remove tenant…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Remove tenant' })
    await dialog.getByRole('button', { name: `Remove ${label}` }).click()
    await expect(dialog).toBeHidden()
    await expect(nav.getByRole('button', { name: label, exact: true })).toHaveCount(0)
  }

  // The settings button it came from went with the removed tenant's header.
  await remove('acme-other')
  await expect(page.getByRole('heading', { level: 1, name: 'acme-staging' })).toBeVisible()
  const next = nav.getByRole('button', { name: 'acme-staging', exact: true })
  await expect(next).toBeFocused()
  await expect(next).toBeInViewport()

  await remove('acme-staging')
  const add = nav.getByRole('button', { name: 'Add tenant' })
  await expect(add).toBeFocused()
  await expect(add).toBeInViewport()
})
