import { readFileSync } from 'node:fs'
import type { Page } from '@playwright/test'
import type { RadarSummary } from '../../src/shared/contract'
import { addTenantViaUi, expect, snap, test, type Harness } from './harness/fixtures'

// Two sandbox tenants, each seeded with a key in every radar category (radarShowcase) and a
// revoked key a simulated service keeps presenting.
test.use({ sandboxOptions: { port: 0, tenants: 2, seedKeys: 40, quiet: true } })

async function twoTenants(page: Page, harness: Harness) {
  await harness.open(page)
  await addTenantViaUi(page, harness, 0, { label: 'acme-prod', environment: 'production' })
  await expect(page.getByText('40 keys')).toBeVisible()
  await addTenantViaUi(page, harness, 1, { label: 'globex-staging', environment: 'staging' })
  await expect(page.getByText('40 keys')).toBeVisible()
}

async function summary(harness: Harness): Promise<RadarSummary> {
  const reply = await harness.core.invoke('radar.summary', undefined)
  if (!reply.ok) throw new Error(reply.error.message)
  return reply.data as RadarSummary
}

const sidebarEntry = (page: Page, label: string) =>
  page
    .getByRole('navigation', { name: 'Tenants' })
    .getByRole('listitem')
    .filter({ has: page.getByRole('button', { name: label, exact: true }) })

test('radar: counts per category and tenant as main counts them, data age, drill-down, badges, still-presented keys', async ({ page, harness }) => {
  await page.setViewportSize({ width: 1280, height: 800 })
  await twoTenants(page, harness)
  // Both tenants' first lists must have reached the store before main's counts are compared.
  await expect.poll(async () => (await summary(harness)).tenants.filter((t) => t.syncedAt !== null).length).toBe(2)
  const s = await summary(harness)
  const prod = s.tenants.find((t) => t.label === 'acme-prod')!
  expect(prod.findings).toBeGreaterThan(0)

  // Sidebar badge: an accessible name such as "3 findings", the number main gives.
  await expect(sidebarEntry(page, 'acme-prod').getByRole('button', { name: `${prod.findings} findings` })).toBeVisible()

  // g then r opens the radar.
  await page.getByRole('grid', { name: 'API keys' }).focus()
  await page.keyboard.press('g')
  await page.keyboard.press('r')
  await expect(page.getByRole('heading', { name: 'Radar', level: 1 })).toBeVisible()
  const table = page.getByRole('table', { name: 'Radar findings' })
  for (const c of s.categories) {
    const row = table.getByRole('row').filter({ has: page.getByRole('button', { name: new RegExp(`: ${c.total} keys?$`) }) })
    await expect(row.first()).toBeVisible()
  }
  const oneDay = s.categories.find((c) => c.category === 'expiring-1d')!
  expect(oneDay.tenants.length).toBe(2)
  const oneDayRow = table.getByRole('row').filter({ has: page.getByRole('button', { name: /^Expiring within 1 day:/ }) })
  await expect(oneDayRow.getByRole('cell').nth(1)).toContainText(`acme-prod ${oneDay.tenants.find((t) => t.tenant === prod.id)!.count}`)
  // How old each tenant's data is.
  await expect(page.getByRole('list', { name: 'Data age per tenant' }).getByRole('listitem').filter({ hasText: 'acme-prod' })).toContainText(
    /as of .*ago|as of just now/
  )

  // Still presented: the revoked key a service keeps presenting, with its count and last time.
  const presented = page.getByRole('table', { name: 'Still-presented keys' })
  await expect(presented.getByRole('row').filter({ hasText: 'fraud-detector-prod-rotated' }).first()).toContainText(/\d+ times/)
  await snap(page, 'radar-1280-light')
  await page.emulateMedia({ colorScheme: 'dark' })
  await snap(page, 'radar-1280-dark')
  await page.setViewportSize({ width: 1024, height: 700 })
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024)
  await snap(page, 'radar-1024-dark')
  await page.emulateMedia({ colorScheme: 'light' })
  await snap(page, 'radar-1024-light')

  // Drill-down: the category's keys across tenants, each with its tenant and environment.
  await page.getByRole('button', { name: /^Expiring within 1 day:/ }).click()
  const keys = page.getByRole('table', { name: 'Radar keys' })
  await expect(keys.getByRole('row')).toHaveCount(1 + oneDay.total)
  const prodRow = keys.getByRole('row').filter({ hasText: 'payments-gateway-prod-expiring' }).filter({ hasText: 'acme-prod' })
  await expect(prodRow).toContainText('Production')
  await expect(keys.getByRole('row').filter({ hasText: 'globex-staging' }).first()).toContainText('Staging')
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024)
  await snap(page, 'radar-drilldown-1024-light')

  // Open in its tenant: the keys view of acme-prod with that key's details.
  await prodRow.getByRole('button', { name: /^Open payments-gateway-prod-expiring in acme-prod$/ }).click()
  await expect(page.getByRole('complementary', { name: 'Details of payments-gateway-prod-expiring' })).toBeVisible()
  await expect(page.getByRole('button', { name: 'acme-prod', exact: true })).toHaveAttribute('aria-current', 'page')

  // The badge opens the radar for its tenant.
  await sidebarEntry(page, 'globex-staging')
    .getByRole('button', { name: /findings?$/ })
    .click()
  await expect(page.getByRole('heading', { name: 'Radar', level: 1 })).toBeVisible()
})

test('radar: revoke one key from the drill-down with the existing dialog, and revoke a selection across two tenants', async ({ page, harness }) => {
  await page.setViewportSize({ width: 1280, height: 800 })
  await twoTenants(page, harness)
  await page.getByRole('button', { name: 'Radar' }).first().click()
  await page.getByRole('button', { name: /^Expiring within 30 days:/ }).click()
  const keys = page.getByRole('table', { name: 'Radar keys' })
  await expect(keys.getByRole('row').nth(1)).toBeVisible()

  // One key, through today's revoke dialog, opened for that tenant and key.
  await keys.getByRole('button', { name: 'Revoke reporting-prod-expiring in globex-staging' }).click()
  const revoke = page.getByRole('dialog', { name: 'Revoke API key' })
  await expect(revoke).toContainText('globex-staging')
  await expect(revoke).toContainText('reporting-prod-expiring')
  await revoke.getByLabel('Type the key name to confirm').fill('reporting-prod-expiring')
  await revoke.getByRole('button', { name: 'Revoke key' }).click()
  await expect(revoke).toBeHidden()
  await expect(page.getByRole('heading', { name: 'Radar', level: 1 })).toBeVisible()
  await expect(keys.getByRole('button', { name: 'Revoke reporting-prod-expiring in globex-staging' })).toHaveCount(0)

  // A selection across tenants.
  await keys.getByRole('checkbox', { name: 'Select payments-gateway-prod-expiring in acme-prod' }).check()
  await keys.getByRole('checkbox', { name: 'Select payments-gateway-prod-expiring in globex-staging' }).check()
  await keys.getByRole('checkbox', { name: 'Select ledger-sync-prod-expiring in globex-staging' }).check()
  await expect(page.getByText('3 keys selected')).toBeVisible()
  await page.getByRole('button', { name: 'Revoke selected' }).click()
  const dialog = page.getByRole('dialog', { name: 'Revoke selected keys' })
  await expect(dialog).toContainText('Revoke 3 keys across 2 tenants')
  await expect(dialog).toContainText('PRODUCTION tenants: acme-prod')
  const perTenant = dialog.getByRole('list', { name: 'Keys per tenant' })
  await expect(perTenant.getByRole('listitem').filter({ hasText: 'acme-prod' })).toContainText('1 key')
  await expect(perTenant.getByRole('listitem').filter({ hasText: 'globex-staging' })).toContainText('2 keys')
  await snap(page, 'radar-bulk-confirm')
  const submit = dialog.getByRole('button', { name: 'Revoke 3 keys' })
  await dialog.getByLabel(/^Reason/).fill('Expiring keys retired from the radar')
  await dialog.getByLabel('Type the number of keys to confirm').fill('2')
  await expect(submit).toBeDisabled()
  await dialog.getByLabel('Type the number of keys to confirm').fill('3')
  await submit.click()
  await expect(dialog.getByRole('status').filter({ hasText: 'of 3 revoked' })).toHaveText('3 of 3 revoked', { timeout: 20_000 })
  await expect(dialog.getByRole('status').filter({ hasText: 'Finished' })).toHaveText('Finished.')
  const results = dialog.getByRole('list', { name: 'Results' })
  await expect(results.getByRole('listitem')).toHaveCount(3)
  await expect(results.getByRole('listitem').filter({ hasText: 'in acme-prod' })).toContainText('revoked payments-gateway-prod-expiring')
  await snap(page, 'radar-bulk-done')
  await dialog.getByRole('button', { name: 'Done' }).click()
  await expect(dialog).toBeHidden()
  // The drill-down reads the store again: revoked keys are no longer expiring.
  await expect(keys.getByRole('row').filter({ hasText: 'payments-gateway-prod-expiring' })).toHaveCount(0)
  await expect(keys.getByRole('row').filter({ hasText: 'ledger-sync-prod-expiring' })).toHaveCount(1)
})

test('radar: the credential report downloads where there is no save dialog', async ({ page, harness }) => {
  await twoTenants(page, harness)
  await page.getByRole('button', { name: 'Radar' }).first().click()
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Credential report (CSV)' }).click()])
  const text = readFileSync((await download.path())!, 'utf8')
  expect(download.suggestedFilename()).toMatch(/\.csv$/)
  expect(text).toContain('fraud-detector-prod-rotated')
  expect(text).toContain('acme-prod')
  expect(text).toContain('globex-staging')
  // 40 keys per tenant, a header line.
  expect(text.trim().split('\n').length).toBe(81)
  await expect(page.getByRole('status').filter({ hasText: 'Downloaded the credential report (80 keys)' })).toBeAttached()

  // A drill-down selection reports only the selected keys, as JSON.
  await page.getByRole('button', { name: /^No expiry:/ }).click()
  await page.getByRole('table', { name: 'Radar keys' }).getByRole('checkbox', { name: 'Select all keys shown' }).check()
  const selected = Number((await page.getByText(/keys? selected$/).textContent())!.match(/\d+/)![0])
  const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Credential report (JSON)' }).click()])
  const body = JSON.parse(readFileSync((await json.path())!, 'utf8')) as unknown
  const rows = Array.isArray(body) ? body : ((body as { keys?: unknown[]; rows?: unknown[] }).keys ?? (body as { rows?: unknown[] }).rows ?? [])
  expect(rows.length).toBe(selected)
})

test.describe('expiry notifications', () => {
  // What the desktop would show, captured from the core's notifier port; checks run every 300 ms.
  const shown: { title: string; body: string }[] = []
  test.use({
    coreOptions: {
      expiryCheckEveryMs: 300,
      notifier: { notify: (title: string, body: string) => void shown.push({ title, body }) }
    }
  })

  test('batched per tenant, each key and threshold once, nothing repeated after a restart', async ({ page, harness }) => {
    shown.length = 0
    await twoTenants(page, harness)
    const forTenant = (label: string) => shown.filter((n) => n.title.includes(` in ${label} `))
    // One notification per tenant for all its keys near expiry ("3 keys in acme-prod expire within 30 days").
    await expect.poll(() => forTenant('acme-prod').length).toBe(1)
    await expect.poll(() => forTenant('globex-staging').length).toBe(1)
    expect(forTenant('acme-prod')[0]!.title).toMatch(/^\d+ keys? in acme-prod expires? within (1 day|7 days|30 days)$/)
    expect(forTenant('acme-prod')[0]!.body).toMatch(/\d+ within (1 day|7 days|30 days)/)

    // Several more checks later, nothing is told twice.
    const told = shown.length
    await page.waitForTimeout(1500)
    expect(shown.length).toBe(told)

    // A restart: the marks live in the store, so the catch-up check finds nothing new to say.
    await harness.restart()
    await page.reload()
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible()
    await page.waitForTimeout(1500)
    expect(shown.length).toBe(told)
  })
})
