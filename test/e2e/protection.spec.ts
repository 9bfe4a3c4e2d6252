import type { Page } from '@playwright/test'
import type { ApiKey } from '../../src/shared/meshqu'
import type { JournalEntry } from '../../src/shared/journal'
import { check } from './harness/axe'
import { addTenantShown, expect, snap, test, type Harness } from './harness/fixtures'

/**
 * Protection levels end to end, in Chromium over the real core and a real sandbox: a read-only
 * production tenant shows no write control at all; Unlock writes… (from its button or `u`) with
 * the banner, the border and Lock now; an unlock that runs out while a dialog is open, after which
 * main refuses the write; a bulk revoke across tenants that skips the locked one and names it; and
 * Unlock and revoke from a radar row. The core's clock is shifted (never waited on).
 */
const clock = { shift: 0 }
test.use({
  sandboxOptions: { port: 0, tenants: 2, seedKeys: 40, quiet: true },
  coreOptions: { now: () => Date.now() + clock.shift, unlockSweepMs: 100 }
})
test.beforeEach(() => {
  clock.shift = 0
})

const PROD = { label: 'acme-prod', environment: 'production' }
const STAGING = { label: 'globex-staging', environment: 'staging' }
const keysGrid = (page: Page) => page.getByRole('grid', { name: 'API keys' })
const detailOf = (page: Page) => page.getByRole('complementary', { name: /^Details of / })

async function call<T>(harness: Harness, channel: string, payload: unknown = undefined): Promise<T> {
  const reply = await harness.core.invoke(channel, payload)
  if (!reply.ok) throw new Error(reply.error.message)
  return reply.data as T
}
const tenantId = async (harness: Harness, label: string) =>
  (await call<{ tenants: { id: string; label: string }[] }>(harness, 'tenants.list')).tenants.find((t) => t.label === label)!.id
const journal = async (harness: Harness, action: string) =>
  (await call<{ entries: JournalEntry[] }>(harness, 'journal.list', { actions: [action] })).entries
const keysOf = async (harness: Harness, label: string) =>
  (await call<{ keys: ApiKey[] }>(harness, 'keys.listAll', { tenant: await tenantId(harness, label) })).keys

async function openProd(page: Page, harness: Harness) {
  await harness.open(page)
  await addTenantShown(page, harness, 0, PROD)
  await expect(page.getByText('40 keys')).toBeVisible()
}

/** Opens the first active key's details; returns its name. */
async function openActiveKey(page: Page) {
  await page
    .getByRole('toolbar', { name: 'Key actions' })
    .getByRole('button', { name: /^Active/ })
    .click()
  await keysGrid(page).getByRole('row').nth(1).click()
  return (await detailOf(page).getByRole('heading', { level: 2 }).textContent())!
}

test('a read-only production tenant has no write control in the DOM; Unlock writes… brings them for a while, with banner and border', async ({
  page,
  harness
}) => {
  await openProd(page, harness)
  const nav = page.getByRole('navigation', { name: 'Tenants' })
  await expect(nav.getByRole('button', { name: 'acme-prod', exact: true })).toHaveAccessibleDescription(/Read-only/)
  await openActiveKey(page)

  // Absent, not disabled: no Create key, no selection, no Rotate, Revoke or Schedule.
  const absent = async () => {
    await expect(page.getByRole('button', { name: 'Create key' })).toHaveCount(0)
    await expect(keysGrid(page).getByRole('checkbox')).toHaveCount(0)
    await expect(detailOf(page).getByRole('button', { name: 'Rotate key' })).toHaveCount(0)
    await expect(detailOf(page).getByRole('button', { name: 'Revoke…' })).toHaveCount(0)
    await expect(detailOf(page).getByRole('button', { name: 'Schedule a revoke' })).toHaveCount(0)
    // Nowhere on the page either (the "Revoked" filter chip is a filter, not a write).
    expect(await page.locator('input[type=checkbox]').count()).toBe(0)
    expect(await page.getByRole('button', { name: /^(Create key|Revoke…|Revoke selected.*|Rotate key|Schedule a revoke)$/ }).count()).toBe(0)
  }
  await absent()
  // The keyboard paths are gone too: `n` and Delete open nothing.
  await keysGrid(page).focus()
  await page.keyboard.press('n')
  await page.keyboard.press('Delete')
  await expect(page.getByRole('dialog')).toHaveCount(0)
  await snap(page, 'protection-read-only')

  // `u`: Unlock writes, with a reason and a duration.
  await keysGrid(page).focus()
  await page.keyboard.press('u')
  const unlock = page.getByRole('dialog', { name: 'Unlock writes' })
  await expect(unlock).toContainText('acme-prod')
  const go = unlock.getByRole('button', { name: /^Unlock acme-prod for/ })
  await expect(go).toBeDisabled()
  await unlock.getByRole('textbox', { name: /^Reason/ }).fill('INC-42 leaked key')
  await unlock.getByRole('radio', { name: '5 minutes', exact: true }).check()
  await check(page, 'unlock writes')
  await unlock.getByRole('button', { name: 'Unlock acme-prod for 5 minutes' }).click()
  await expect(unlock).toBeHidden()

  const banner = page.getByRole('region', { name: 'Writes unlocked' })
  await expect(banner).toContainText('Writes unlocked in acme-prod')
  await expect(banner.getByRole('timer', { name: 'Time left for acme-prod' })).toHaveText(/^[45]:\d\d$/)
  await expect(page.locator('.frame')).toHaveClass(/frame-unlocked/)
  await expect(page.getByRole('button', { name: 'Create key' })).toBeVisible()
  await expect(detailOf(page).getByRole('button', { name: 'Revoke…' })).toBeVisible()
  await check(page, 'unlocked: banner and border')
  await snap(page, 'protection-unlocked')

  // Lock now: the controls go again; start and end are journaled with the reason.
  await banner.getByRole('button', { name: /Lock now/ }).click()
  await expect(banner).toBeHidden()
  await expect(page.locator('.frame')).not.toHaveClass(/frame-unlocked/)
  await absent()
  const [started] = await journal(harness, 'tenant.unlock')
  const [ended] = await journal(harness, 'tenant.lock')
  expect([started!.reason, started!.tenantLabel]).toEqual(['INC-42 leaked key', 'acme-prod'])
  expect([ended!.reason, ended!.detail]).toEqual(['INC-42 leaked key', 'Writes locked again: locked by the operator (Lock now).'])
})

test('an unlock that runs out while the revoke dialog is open: main refuses the write, and the controls go', async ({ page, harness }) => {
  await openProd(page, harness)
  await openActiveKey(page)
  await page.getByRole('button', { name: 'Unlock writes…' }).click()
  const unlock = page.getByRole('dialog', { name: 'Unlock writes' })
  await unlock.getByRole('textbox', { name: /^Reason/ }).fill('rotate before audit')
  await unlock.getByRole('radio', { name: '5 minutes', exact: true }).check()
  await check(page, 'unlock writes')
  await unlock.getByRole('button', { name: 'Unlock acme-prod for 5 minutes' }).click()
  await expect(unlock).toBeHidden()

  const name = (await detailOf(page).getByRole('heading', { level: 2 }).textContent())!
  await detailOf(page).getByRole('button', { name: 'Revoke…' }).click()
  const revoke = page.getByRole('dialog', { name: 'Revoke API key' })
  await revoke.getByLabel('Type the key name to confirm').fill(name)
  // Six minutes pass on main's clock while the dialog is open.
  clock.shift += 6 * 60_000
  await expect.poll(async () => (await journal(harness, 'tenant.lock')).length).toBe(1)
  await revoke.getByRole('button', { name: 'Revoke key' }).click()
  await expect(revoke.getByRole('alert')).toContainText('acme-prod is read-only, so nothing was sent')
  const key = (await keysOf(harness, 'acme-prod')).find((k) => k.name === name)!
  expect(key.revoked_at).toBeNull()
  expect((await journal(harness, 'tenant.lock'))[0]!.detail).toBe('Writes locked again: its time was up.')
  await revoke.getByRole('button', { name: 'Cancel' }).click()
  await expect(revoke).toBeHidden()
  await expect(page.getByRole('region', { name: 'Writes unlocked' })).toBeHidden()
  await expect(detailOf(page).getByRole('button', { name: 'Revoke…' })).toHaveCount(0)
})

test('a bulk revoke across tenants skips the locked tenant and names it; Unlock and revoke from a radar row', async ({ page, harness }) => {
  await page.setViewportSize({ width: 1280, height: 800 })
  await harness.open(page)
  await addTenantShown(page, harness, 0, PROD)
  await expect(page.getByText('40 keys')).toBeVisible()
  await addTenantShown(page, harness, 1, STAGING)
  await expect(page.getByText('40 keys')).toBeVisible()
  await page.getByRole('button', { name: /^Radar( [\d,]+ findings?)?$/ }).click()
  await page.getByRole('button', { name: /^Expiring within 30 days:/ }).click()
  const keys = page.getByRole('table', { name: 'Radar keys' })
  await expect(keys.getByRole('row').nth(1)).toBeVisible()
  // The locked tenant's rows offer no Revoke or Rotate, only the emergency path.
  await expect(keys.getByRole('button', { name: 'Revoke payments-gateway-prod-expiring in acme-prod', exact: true })).toHaveCount(0)
  await expect(keys.getByRole('button', { name: 'Rotate payments-gateway-prod-expiring in acme-prod' })).toHaveCount(0)

  await keys.getByRole('checkbox', { name: 'Select payments-gateway-prod-expiring in acme-prod' }).check()
  await keys.getByRole('checkbox', { name: 'Select payments-gateway-prod-expiring in globex-staging' }).check()
  await keys.getByRole('checkbox', { name: 'Select ledger-sync-prod-expiring in globex-staging' }).check()
  await page.getByRole('button', { name: 'Revoke selected' }).click()
  const dialog = page.getByRole('dialog', { name: 'Revoke selected keys' })
  const skipped = dialog.getByRole('region', { name: 'Locked tenants skipped' })
  await expect(skipped).toContainText('Skipped, read-only: acme-prod (1 key)')
  await expect(dialog).toContainText('Revoke 2 keys across 1 tenant')
  // The title counts only the tenants the revoke reaches, not the skipped one.
  await expect(page.getByRole('dialog', { name: /^Revoke selected keys in globex-staging/ })).toBeVisible()
  await expect(skipped.getByRole('button', { name: 'Unlock acme-prod…' })).toBeVisible()
  await snap(page, 'protection-bulk-skips-locked')
  await dialog.getByLabel('Type the number of keys to confirm').fill('2')
  await dialog.getByRole('button', { name: 'Revoke 2 keys' }).click()
  await expect(dialog.getByRole('status').filter({ hasText: 'Finished' })).toHaveText('Finished.', { timeout: 20_000 })
  await dialog.getByRole('button', { name: 'Done' }).click()
  await expect(dialog).toBeHidden()
  const prodKey = (await keysOf(harness, 'acme-prod')).find((k) => k.name === 'payments-gateway-prod-expiring')!
  const stagingKey = (await keysOf(harness, 'globex-staging')).find((k) => k.name === 'payments-gateway-prod-expiring')!
  expect(prodKey.revoked_at).toBeNull()
  expect(stagingKey.revoked_at).not.toBeNull()

  // The emergency path: reason and typed name in one dialog, then the key is revoked.
  await keys.getByRole('button', { name: 'Unlock and revoke payments-gateway-prod-expiring in acme-prod' }).click()
  const both = page.getByRole('dialog', { name: 'Unlock and revoke in acme-prod' })
  const confirm = both.getByRole('button', { name: 'Unlock and revoke in acme-prod' })
  await both.getByRole('textbox', { name: /^Reason/ }).fill('key seen in a paste site')
  await expect(confirm).toBeDisabled()
  await both.getByLabel('Type the key name to confirm').fill('payments-gateway-prod-expiring')
  await confirm.click()
  await expect(both).toBeHidden()
  await expect
    .poll(async () => (await keysOf(harness, 'acme-prod')).find((k) => k.name === 'payments-gateway-prod-expiring')!.revoked_at)
    .not.toBeNull()
  await expect(page.getByRole('region', { name: 'Writes unlocked' })).toContainText('acme-prod')
  const [revoked] = await journal(harness, 'key.revoke')
  expect([revoked!.reason, revoked!.tenantLabel]).toEqual(['key seen in a paste site', 'acme-prod'])
})

test('moving a tenant off production or lowering its level asks for its label and a reason', async ({ page, harness }) => {
  await openProd(page, harness)
  await page.getByRole('button', { name: 'Tenant settings' }).click()
  const settings = page.getByRole('dialog', { name: 'Tenant settings' })
  await expect(settings.getByLabel('Protection level')).toHaveValue('read-only')
  await settings.getByLabel('Environment').selectOption('staging')
  // The level follows the environment's default, and both drops are named.
  await expect(settings.getByLabel('Protection level')).toHaveValue('protected')
  const save = settings.getByRole('button', { name: 'Save' })
  await expect(save).toBeDisabled()
  await settings.getByLabel('Type the tenant label to confirm').fill('acme-prod')
  await expect(save).toBeDisabled()
  await settings.getByRole('textbox', { name: /^Reason/ }).fill('was mislabelled as production')
  await save.click()
  await expect(settings).toBeHidden()
  await expect(page.getByRole('navigation', { name: 'Tenants' }).getByRole('button', { name: 'acme-prod', exact: true })).toHaveAccessibleDescription(
    /Protected/
  )
  await expect(page.getByRole('button', { name: 'Create key' })).toBeVisible()
  const [entry] = await journal(harness, 'tenant.protection')
  expect([entry!.reason, entry!.detail]).toEqual([
    'was mislabelled as production',
    'Environment production → staging; protection read-only → protected.'
  ])
})
