import type { Page } from '@playwright/test'
import type { ApiKey } from '../../src/shared/meshqu'
import type { ScheduledRevoke } from '../../src/shared/schedule'
import type { TenantView } from '../../src/shared/tenants'
import { addTenantShown, expect, test, type Harness } from './harness/fixtures'

/**
 * Acting on the tenant you see: a write from the radar or from Search all acts on the key's own
 * tenant, in a dialog that names that tenant (title, production badge, confirm button), and the
 * tenant shown before stays the active one — in the page and in main.
 *
 * Two sandbox tenants, each seeded with the radar's showcase keys (the same names in both):
 * acme-prod (production) is added first, globex-staging last, so globex-staging is the active one.
 */
test.use({ sandboxOptions: { port: 0, tenants: 2, seedKeys: 40, quiet: true } })

async function call<T>(harness: Harness, channel: string, payload: unknown = undefined): Promise<T> {
  const reply = await harness.core.invoke(channel, payload)
  if (!reply.ok) throw new Error(reply.error.message)
  return reply.data as T
}
const tenantList = (harness: Harness) => call<{ tenants: TenantView[]; activeId: string | null }>(harness, 'tenants.list')
const idOf = async (harness: Harness, label: string) => (await tenantList(harness)).tenants.find((t) => t.label === label)!.id
/** A key of a tenant as main's store holds it now. */
async function storedKey(harness: Harness, label: string, name: string): Promise<ApiKey | undefined> {
  const stored = await call<{ keysJson: string } | null>(harness, 'keys.fromStore', { tenant: await idOf(harness, label) })
  return stored ? (JSON.parse(stored.keysJson) as ApiKey[]).find((k) => k.name === name) : undefined
}

async function twoTenants(page: Page, harness: Harness) {
  await page.setViewportSize({ width: 1280, height: 800 })
  await harness.open(page)
  await addTenantShown(page, harness, 0, { label: 'acme-prod', environment: 'production', level: 'protected' })
  await expect(page.getByText('40 keys')).toBeVisible()
  await addTenantShown(page, harness, 1, { label: 'globex-staging', environment: 'staging' })
  await expect(page.getByText('40 keys')).toBeVisible()
}

/** globex-staging is still the active tenant: marked in the sidebar, and in main. */
async function stillOnGlobex(page: Page, harness: Harness) {
  const tenants = page.getByRole('navigation', { name: 'Tenants' })
  await expect(tenants.getByRole('button', { name: 'globex-staging', exact: true })).toHaveAttribute('aria-current', 'page')
  await expect(tenants.getByRole('button', { name: 'acme-prod', exact: true })).not.toHaveAttribute('aria-current', 'page')
  expect((await tenantList(harness)).activeId).toBe(await idOf(harness, 'globex-staging'))
}

async function drillIntoExpiring(page: Page) {
  await page.getByRole('button', { name: /^Radar( [\d,]+ findings?)?$/ }).click()
  await page.getByRole('button', { name: /^Expiring within 30 days:/ }).click()
  const keys = page.getByRole('table', { name: 'Radar keys' })
  await expect(keys.getByRole('row').nth(1)).toBeVisible()
  return keys
}

test('radar: revoke, rotate and schedule a key of a tenant not shown, in dialogs that name it, without switching tenant', async ({
  page,
  harness
}) => {
  await twoTenants(page, harness)
  const keys = await drillIntoExpiring(page)

  // Revoke in acme-prod while globex-staging is the active tenant.
  await keys.getByRole('button', { name: 'Revoke payments-gateway-prod-expiring in acme-prod' }).click()
  const revoke = page.getByRole('dialog', { name: 'Revoke API key in acme-prod Production', exact: true })
  await expect(revoke).toBeVisible()
  await expect(revoke.getByRole('heading', { level: 2 }).locator('.env-badge')).toHaveText('Production')
  const confirm = revoke.getByRole('button', { name: 'Revoke key in acme-prod', exact: true })
  await expect(confirm).toBeDisabled()
  await revoke.getByLabel('Type the key name to confirm').fill('payments-gateway-prod-expiring')
  await revoke.getByLabel(/^Reason/).fill('Retired from the radar')
  await confirm.click()
  await expect(revoke).toBeHidden()
  await expect(keys.getByRole('button', { name: 'Revoke payments-gateway-prod-expiring in acme-prod' })).toHaveCount(0)
  expect((await storedKey(harness, 'acme-prod', 'payments-gateway-prod-expiring'))?.revoked_at).toBeTruthy()
  // The same name in globex-staging is untouched, and globex-staging is still the tenant shown.
  expect((await storedKey(harness, 'globex-staging', 'payments-gateway-prod-expiring'))?.revoked_at).toBeNull()
  await expect(page.getByRole('heading', { name: 'Radar', level: 1 })).toBeVisible()
  await stillOnGlobex(page, harness)

  // Rotate: the dialog and its confirm button name acme-prod; cancelled, nothing changes.
  await keys.getByRole('button', { name: 'Rotate ledger-sync-prod-expiring in acme-prod' }).click()
  const rotate = page.getByRole('dialog', { name: 'Rotate API key in acme-prod Production', exact: true })
  await expect(rotate.getByRole('button', { name: 'Rotate key in acme-prod', exact: true })).toBeVisible()
  await rotate.getByRole('button', { name: 'Cancel' }).click()
  await expect(rotate).toBeHidden()
  await expect(keys.getByRole('button', { name: 'Rotate ledger-sync-prod-expiring in acme-prod' })).toBeFocused()

  // Schedule a revoke in acme-prod: main holds it for acme-prod's key.
  await keys.getByRole('button', { name: 'Schedule a revoke of ledger-sync-prod-expiring in acme-prod' }).click()
  const schedule = page.getByRole('dialog', { name: 'Schedule a revoke in acme-prod Production', exact: true })
  await schedule.getByLabel('When to revoke').selectOption({ label: 'In 24 hours' })
  await schedule.getByRole('button', { name: 'Schedule revoke in acme-prod', exact: true }).click()
  await expect(schedule).toBeHidden()
  const scheduled = (await call<{ schedules: ScheduledRevoke[] }>(harness, 'schedule.list', { states: ['scheduled'] })).schedules
  expect(scheduled.map((s) => [s.tenant, s.keyName])).toEqual([[await idOf(harness, 'acme-prod'), 'ledger-sync-prod-expiring']])
  await stillOnGlobex(page, harness)
})

test('search all: revoke a hit in a tenant not shown, in a dialog that names it, without switching tenant', async ({ page, harness }) => {
  await twoTenants(page, harness)
  await page.getByRole('button', { name: 'Search all tenants' }).click()
  const search = page.getByRole('dialog', { name: 'Search all tenants' })
  await search.getByRole('searchbox', { name: 'Search all tenants' }).fill('reporting-prod-expiring')
  const matches = search.getByRole('table', { name: 'Matches across tenants' })
  // The same name in both tenants: each hit acts on its own.
  await expect(matches.getByRole('row')).toHaveCount(3)
  await matches.getByRole('button', { name: 'Revoke reporting-prod-expiring in acme-prod' }).click()

  const revoke = page.getByRole('dialog', { name: 'Revoke API key in acme-prod Production', exact: true })
  await revoke.getByLabel('Type the key name to confirm').fill('reporting-prod-expiring')
  await revoke.getByRole('button', { name: 'Revoke key in acme-prod', exact: true }).click()
  await expect(revoke).toBeHidden()
  expect((await storedKey(harness, 'acme-prod', 'reporting-prod-expiring'))?.revoked_at).toBeTruthy()
  expect((await storedKey(harness, 'globex-staging', 'reporting-prod-expiring'))?.revoked_at).toBeNull()
  // Still globex-staging's keys on screen, and in main.
  await expect(page.getByRole('heading', { level: 1, name: 'globex-staging' })).toBeVisible()
  await stillOnGlobex(page, harness)
})

test("radar: the cross-tenant confirmation lists each tenant's keys, and its title and button name the tenants", async ({ page, harness }) => {
  await twoTenants(page, harness)
  const keys = await drillIntoExpiring(page)
  await keys.getByRole('checkbox', { name: 'Select payments-gateway-prod-expiring in acme-prod' }).check()
  await keys.getByRole('checkbox', { name: 'Select payments-gateway-prod-expiring in globex-staging' }).check()
  await keys.getByRole('checkbox', { name: 'Select ledger-sync-prod-expiring in globex-staging' }).check()
  await page.getByRole('button', { name: 'Revoke selected' }).click()

  const dialog = page.getByRole('dialog', { name: 'Revoke selected keys in 2 tenants Production Staging', exact: true })
  const perTenant = dialog.getByRole('list', { name: 'Keys per tenant' })
  const prod = perTenant.getByRole('list', { name: 'acme-prod Production — 1 key' })
  const staging = perTenant.getByRole('list', { name: 'globex-staging Staging — 2 keys' })
  await expect(prod.getByRole('listitem')).toHaveText([/^payments-gateway-prod-expiring \S+$/])
  await expect(staging.getByRole('listitem')).toHaveText([/^payments-gateway-prod-expiring /, /^ledger-sync-prod-expiring /])
  // A long selection scrolls inside the dialog, not the page.
  await expect(perTenant).toHaveCSS('overflow-y', 'auto')
  await expect(dialog.getByRole('button', { name: 'Revoke 3 keys in acme-prod and globex-staging', exact: true })).toBeDisabled()
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await expect(dialog).toBeHidden()
  // Cancelled: nothing revoked, the selection cleared, focus on the list's heading, the tenant shown unchanged.
  expect((await storedKey(harness, 'acme-prod', 'payments-gateway-prod-expiring'))?.revoked_at).toBeNull()
  await expect(page.getByText('No keys selected')).toBeVisible()
  await expect(page.getByRole('heading', { level: 2, name: /^Expiring within 30 days/ })).toBeFocused()
  await stillOnGlobex(page, harness)
})
