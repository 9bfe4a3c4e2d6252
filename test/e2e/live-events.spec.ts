import type { Page } from '@playwright/test'
import type { ApiKey } from '../../src/shared/meshqu'
import type { TenantView } from '../../src/shared/tenants'
import { addTenantShown, expect, test, type Harness } from './harness/fixtures'

/**
 * Main tells the window what changed (src/shared/events.ts): a scheduled revoke that runs reaches
 * every view of its key within 2 s, with a toast, whether or not its tenant is the one shown and
 * without a reload. The core's clock is shifted (not waited on); its schedule runner checks every 100 ms.
 */
const clock = { shift: 0 }
const HOUR = 3_600_000
test.use({
  sandboxOptions: { port: 0, tenants: 2, seedKeys: 20, quiet: true },
  coreOptions: { now: () => Date.now() + clock.shift, scheduleCheckMs: 100 }
})
test.beforeEach(() => {
  clock.shift = 0
})

async function call<T>(harness: Harness, channel: string, payload: unknown = undefined): Promise<T> {
  const reply = await harness.core.invoke(channel, payload)
  if (!reply.ok) throw new Error(reply.error.message)
  return reply.data as T
}
const tenantId = async (h: Harness, label: string) =>
  (await call<{ tenants: TenantView[] }>(h, 'tenants.list')).tenants.find((t) => t.label === label)!.id
/** A live key that does not expire soon, with a name no other key holds (the seed may repeat names). */
async function liveKey(h: Harness, tenant: string): Promise<ApiKey> {
  const { keys } = await call<{ keys: ApiKey[] }>(h, 'keys.listAll', { tenant })
  const count = (name: string) => keys.filter((k) => k.name === name).length
  return keys.find(
    (k) =>
      k.revoked_at === null &&
      k.name !== 'keydesk-sandbox-admin' &&
      count(k.name) === 1 &&
      (k.expires_at === null || Date.parse(k.expires_at) > Date.now() + 30 * 24 * HOUR)
  )!
}
const keysGrid = (page: Page) => page.getByRole('grid', { name: 'API keys' })
const detailOf = (page: Page) => page.getByRole('complementary', { name: /^Details of / })

test("a non-active tenant's scheduled revoke shows in Search all within 2 s, with a toast, without a visit or a reload", async ({
  page,
  harness
}) => {
  await harness.open(page)
  await addTenantShown(page, harness, 0, { label: 'acme-staging' })
  await addTenantShown(page, harness, 1, { label: 'globex-staging' })
  // globex-staging is shown; acme-staging's key is scheduled (by main, as any path would).
  const acme = await tenantId(harness, 'acme-staging')
  const key = await liveKey(harness, acme)
  await call(harness, 'schedule.revoke', { tenant: acme, keyId: key.id, in: '1h' })

  await page.getByRole('button', { name: 'Search all tenants' }).click()
  const search = page.getByRole('dialog', { name: 'Search all tenants' })
  // By its id: the seed gives keys of both tenants the same names.
  await search.getByRole('searchbox', { name: 'Search all tenants' }).fill(key.id)
  const hit = search.getByRole('table', { name: 'Matches across tenants' }).getByRole('row').filter({ hasText: key.name })
  await expect(hit).toHaveCount(1)
  await expect(hit).toContainText('acme-staging')
  await expect(hit).not.toContainText('Revoked')

  clock.shift = 2 * HOUR
  await expect(hit).toContainText('Revoked', { timeout: 2_000 })
  await expect(page.getByRole('status').filter({ hasText: `Scheduled revoke ran: ${key.name} in acme-staging` })).toBeVisible({ timeout: 2_000 })
  // No visit: the tenant shown is still globex-staging.
  await expect(page.getByRole('heading', { level: 1, name: 'globex-staging' })).toBeVisible()
})

test("the shown tenant's scheduled revoke reaches its row, its detail panel and the panel's journal within 2 s", async ({ page, harness }) => {
  await harness.open(page)
  await addTenantShown(page, harness, 0, { label: 'acme-staging' })
  const acme = await tenantId(harness, 'acme-staging')
  const key = await liveKey(harness, acme)
  await page.getByRole('searchbox', { name: 'Search keys' }).fill(key.name)
  await keysGrid(page).getByRole('row').filter({ hasText: key.name }).first().click()
  await call(harness, 'schedule.revoke', { tenant: acme, keyId: key.id, in: '1h' })
  // Set by main, not by this window: the panel hears of it all the same.
  const journal = detailOf(page).getByRole('list', { name: 'Journal entries for this key' })
  await expect(journal).toContainText('Revoke scheduled', { timeout: 2_000 })
  await expect(detailOf(page).getByRole('region', { name: 'Scheduled revoke' }).getByRole('status')).toContainText('Revokes in')
  await expect(journal).not.toContainText('Scheduled revoke ran')

  clock.shift = 2 * HOUR
  await expect(keysGrid(page).getByRole('row').filter({ hasText: key.name })).toContainText('Revoked', { timeout: 2_000 })
  await expect(journal).toContainText('Scheduled revoke ran', { timeout: 2_000 })
  await expect(detailOf(page).getByRole('button', { name: 'Schedule a revoke' })).toHaveCount(0)
  await expect(page.getByRole('status').filter({ hasText: `Scheduled revoke ran: ${key.name} in acme-staging` })).toBeVisible()
})
