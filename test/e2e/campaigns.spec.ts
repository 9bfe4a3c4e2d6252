import type { Page } from '@playwright/test'
import { check } from './harness/axe'
import { addTenantShown, expect, test, type Harness } from './harness/fixtures'

/**
 * Rotation campaigns in Chromium: Rotate selected… from a radar category across two tenants, the
 * campaign dialog, the hand-over queue (the copy-once dialog, one key at a time), closing it with
 * a key not handed over, the Campaigns view with "Create those again", and Cancel.
 */
test.use({ sandboxOptions: { port: 0, tenants: 2, seedKeys: 40, quiet: true } })

const PROD = { label: 'acme-prod', environment: 'production', level: 'protected' } as const
const STAGING = { label: 'globex-staging', environment: 'staging' }

async function twoTenants(page: Page, harness: Harness) {
  await harness.open(page)
  for (const [i, t] of [PROD, STAGING].entries()) {
    await addTenantShown(page, harness, i, t)
    await expect(page.getByText('40 keys')).toBeVisible()
  }
}

test('campaigns: the dialog, the hand-over queue and the Campaigns view', async ({ page, harness }) => {
  // Two sandbox tenants, three screens checked by axe at two sizes in both themes.
  test.setTimeout(180_000)
  await page.setViewportSize({ width: 1280, height: 800 })
  await twoTenants(page, harness)
  await page.getByRole('button', { name: /^Radar( [\d,]+ findings?)?$/ }).click()
  await expect(page.getByRole('heading', { name: 'Radar', level: 1 })).toBeVisible()
  await page.getByRole('button', { name: /^Expiring within 30 days:/ }).click()
  const keys = page.getByRole('table', { name: 'Radar keys' })
  await keys.getByRole('checkbox', { name: 'Select payments-gateway-prod-expiring in acme-prod' }).check()
  await keys.getByRole('checkbox', { name: 'Select payments-gateway-prod-expiring in globex-staging' }).check()
  const rotate = page.getByRole('button', { name: 'Rotate selected…' })
  await rotate.click()

  // The dialog: keys per tenant, production named, defaults, reason.
  const dialog = page.getByRole('dialog', { name: 'Rotate selected keys' })
  await expect(dialog).toContainText('Replace 2 keys in 2 tenants')
  await expect(dialog).toContainText('PRODUCTION tenants: acme-prod')
  await expect(dialog.getByRole('textbox', { name: 'Replacement name' })).toHaveValue('{name}-{date}')
  await expect(dialog.getByRole('spinbutton', { name: 'Quiet window (hours)' })).toHaveValue('24')
  await expect(dialog.getByRole('spinbutton', { name: 'Deadline (days)' })).toHaveValue('7')
  await expect(dialog.getByRole('spinbutton', { name: 'Pacing share (%)' })).toHaveValue('25')
  await check(page, 'campaign dialog')
  await dialog.getByRole('textbox', { name: /^Reason/ }).fill('quarterly rotation')
  await dialog.getByRole('button', { name: 'Start campaign' }).click()

  // The hand-over queue: one key at a time, in the copy-once dialog.
  const first = page.getByRole('dialog', { name: 'Hand over new key 1 of 2' })
  await expect(first).toBeVisible({ timeout: 15_000 })
  await expect(first).toContainText('Replaces payments-gateway-prod-expiring')
  await check(page, 'hand-over queue')
  await first.getByRole('checkbox', { name: 'I have stored this key' }).check()
  await first.getByRole('button', { name: 'Done' }).click()
  const second = page.getByRole('dialog', { name: 'Hand over new key 2 of 2' })
  await expect(second).toBeVisible({ timeout: 15_000 })
  // Closed without storing: the queue ends, that key is left not handed over.
  await page.keyboard.press('Escape')
  await second.getByRole('button', { name: 'Close without storing' }).click()
  await expect(second).toBeHidden()
  await expect(rotate).toBeFocused()

  // The Campaigns view: progress per tenant, keys by state, the key not handed over.
  await page.getByRole('button', { name: 'Campaigns', exact: true }).click()
  await expect(page.getByRole('heading', { name: 'Campaigns', level: 1 })).toBeVisible()
  const view = page.getByRole('region', { name: /^Campaign of/ })
  await expect(view).toContainText('1 new key not handed over yet')
  const table = view.getByRole('table', { name: 'Keys of this campaign' })
  await expect(table.getByRole('cell', { name: 'Waiting for traffic to stop' })).toHaveCount(1)
  await expect(table.getByRole('cell', { name: 'Created, not handed over' })).toHaveCount(1)
  await check(page, 'campaigns view')

  // Created again: the queue shows the new replacement; stored, every key is handed over.
  await view.getByRole('button', { name: 'Create those again' }).click()
  const again = page.getByRole('dialog', { name: /^Hand over new key/ })
  await expect(again).toBeVisible({ timeout: 15_000 })
  await again.getByRole('checkbox', { name: 'I have stored this key' }).check()
  await again.getByRole('button', { name: 'Done' }).click()
  const done = page.getByRole('dialog', { name: 'Hand over new keys' })
  await expect(done).toContainText('Every new key is handed over')
  await done.getByRole('button', { name: 'Done' }).click()
  await expect(table.getByRole('cell', { name: 'Waiting for traffic to stop' })).toHaveCount(2)

  // Cancel: nothing more is revoked by it; the replacements stay listed.
  await view.getByRole('button', { name: 'Cancel campaign…' }).click()
  await view.getByRole('button', { name: 'Cancel campaign', exact: true }).click()
  await expect(view).toContainText('cancelled')
  await expect(table.getByRole('cell', { name: 'Cancelled' })).toHaveCount(2)
  await expect(table.getByRole('cell', { name: /^payments-gateway-prod-expiring-\d{4}-\d\d-\d\d$/ })).toHaveCount(2)
})
