import { readFileSync } from 'node:fs'
import type { Page } from '@playwright/test'
import type { RadarSummary, Settings } from '../../src/shared/contract'
import type { NotificationAction } from '../../src/shared/radar'
import type { ScheduledRevoke } from '../../src/shared/schedule'
import { addTenantShown, addTenantViaUi, expect, snap, test, type Harness } from './harness/fixtures'

/**
 * Issue 14 end to end: the radar (counts, drill-down, thresholds per environment, scheduled
 * revokes), cross-tenant bulk revoke, expiry notifications and a click on one, the credential
 * report, the journal with reasons, and scheduled revokes running — while KeyDesk runs and at
 * the next start after it was closed.
 *
 * Two sandbox tenants, each seeded with a key in every radar category (radarShowcase) and a
 * revoked key a simulated service keeps presenting; random keys besides, with random statuses
 * (filter "Active" or pick a showcase key by name before acting on a row). The core's clock is
 * shifted (not waited on) to make time pass; its schedule runner checks every 100 ms.
 */
const clock = { shift: 0 }
const shiftedNow = () => Date.now() + clock.shift
test.use({
  sandboxOptions: { port: 0, tenants: 2, seedKeys: 40, quiet: true },
  coreOptions: { now: shiftedNow, scheduleCheckMs: 100 }
})
test.beforeEach(() => {
  clock.shift = 0
})

// Protected, not read-only: these tests are about the radar's writes, not about unlocking
// (protection.spec.ts covers read-only production tenants).
const PROD = { label: 'acme-prod', environment: 'production', level: 'protected' } as const
const STAGING = { label: 'globex-staging', environment: 'staging' }

/** Opens the app and adds sandbox tenants 0, 1, … through the Add tenant dialog; the last one is shown. */
async function addTenants(page: Page, harness: Harness, tenants: Parameters<typeof addTenantShown>[3][], keys: number) {
  await harness.open(page)
  for (const [i, t] of tenants.entries()) {
    await addTenantShown(page, harness, i, t)
    await expect(page.getByText(`${keys} keys`)).toBeVisible()
  }
}
const twoTenants = (page: Page, harness: Harness) => addTenants(page, harness, [PROD, STAGING], 40)

async function call<T>(harness: Harness, channel: string, payload: unknown = undefined): Promise<T> {
  const reply = await harness.core.invoke(channel, payload)
  if (!reply.ok) throw new Error(reply.error.message)
  return reply.data as T
}
const summary = (harness: Harness) => call<RadarSummary>(harness, 'radar.summary')
const schedulesIn = async (harness: Harness, state: ScheduledRevoke['state']) =>
  (await call<{ schedules: ScheduledRevoke[] }>(harness, 'schedule.list', { states: [state] })).schedules.map((s) => s.keyName)
/** Main's counts, once every tenant's first list has reached the store. */
async function storedSummary(harness: Harness, tenants: number) {
  await expect.poll(async () => (await summary(harness)).tenants.filter((t) => t.syncedAt !== null).length).toBe(tenants)
  return summary(harness)
}

const sidebarEntry = (page: Page, label: string) =>
  page
    .getByRole('navigation', { name: 'Tenants' })
    .getByRole('listitem')
    .filter({ has: page.getByRole('button', { name: label, exact: true }) })
const detailOf = (page: Page) => page.getByRole('complementary', { name: /^Details of / })
const keysGrid = (page: Page) => page.getByRole('grid', { name: 'API keys' })

/** The drill-down's heading for an expiry window filtered to one tenant: "Expiring within 7 days in acme-prod · 3 keys". */
const drillDownHeading = (days: number, tenant: string) =>
  new RegExp(`^Expiring within ${days} ${days === 1 ? 'day' : 'days'} in ${tenant} · \\d+ keys?$`)

async function openRadar(page: Page) {
  // The sidebar's entry: "Radar", then its findings count ("Radar 12 findings").
  await page.getByRole('button', { name: /^Radar( [\d,]+ findings?)?$/ }).click()
  await expect(page.getByRole('heading', { name: 'Radar', level: 1 })).toBeVisible()
}

async function openRadarSettings(page: Page) {
  await page.getByRole('button', { name: 'Radar settings…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Radar settings' })
  await expect(dialog.getByRole('spinbutton', { name: 'Unused after (days) for Production', exact: true })).toBeFocused()
  return dialog
}

/** The Active filter on (it stays on across tenants; a second click would turn it off). */
async function onlyActive(page: Page) {
  const active = page.getByRole('button', { name: /^Active \d+$/ })
  if ((await active.getAttribute('aria-pressed')) !== 'true') await active.click()
}

/** Rotates the key in row `row` of the Active view (the old key stays selected) and returns its name. */
async function rotateRow(page: Page, row: number) {
  await keysGrid(page).getByRole('row').nth(row).click()
  const name = (await detailOf(page).getByRole('heading', { level: 2 }).textContent())!
  await detailOf(page).getByRole('button', { name: 'Rotate key' }).click()
  const rotate = page.getByRole('dialog', { name: 'Rotate API key' })
  await rotate.getByLabel(/^Reason/).fill('quarterly rotation')
  await rotate.getByRole('button', { name: 'Rotate key' }).click()
  const once = page.getByRole('dialog', { name: 'Copy your new key' })
  await once.getByLabel('I have stored this key').check()
  await once.getByRole('button', { name: 'Done' }).click()
  return name
}

/** Schedules the revoke of a key, found by its exact name, from its detail panel. */
async function scheduleFromPanel(page: Page, tenantLabel: string, keyName: string, when: string) {
  await page.getByRole('navigation', { name: 'Tenants' }).getByRole('button', { name: tenantLabel, exact: true }).click()
  await page.getByRole('searchbox', { name: 'Search keys' }).fill(keyName)
  await keysGrid(page).getByRole('row').filter({ hasText: keyName }).first().click()
  const box = detailOf(page).getByRole('region', { name: 'Scheduled revoke' })
  await box.getByRole('button', { name: 'Schedule a revoke' }).click()
  await box.getByRole('combobox', { name: 'When to revoke' }).selectOption({ label: when })
  await box.getByRole('button', { name: 'Schedule revoke' }).click()
  await expect(box.getByRole('status')).toContainText('Revokes in')
}

/**
 * Screenshots at 1024×700 and 1280×800, light and dark, for a person to look at; at each size
 * nothing scrolls sideways (the page, the radar, an open dialog, the detail panel).
 */
async function shoot(page: Page, name: string) {
  for (const [w, h] of [
    [1024, 700],
    [1280, 800]
  ] as const) {
    for (const scheme of ['light', 'dark'] as const) {
      await page.setViewportSize({ width: w, height: h })
      await page.emulateMedia({ colorScheme: scheme })
      const wide = await page.evaluate(() => [
        ...(document.documentElement.scrollWidth > window.innerWidth ? ['the page'] : []),
        ...[...document.querySelectorAll('dialog[open], dialog[open] *, .detail *, .radar-body, .radar-body *')]
          .filter((el) => el.scrollWidth > el.clientWidth + 1 && ['auto', 'scroll'].includes(getComputedStyle(el).overflowX))
          .map((el) => el.className)
      ])
      expect(wide, `${name} at ${w} px, ${scheme}`).toEqual([])
      await snap(page, `${name}-${w}-${scheme}`)
    }
  }
  await page.emulateMedia({ colorScheme: 'light' })
}

test('radar: counts per category and tenant as main counts them, data age, drill-down, badges, still-presented keys', async ({ page, harness }) => {
  await page.setViewportSize({ width: 1280, height: 800 })
  await twoTenants(page, harness)
  const s = await storedSummary(harness, 2)
  const prod = s.tenants.find((t) => t.label === 'acme-prod')!
  expect(prod.findings).toBeGreaterThan(0)

  // Sidebar badge: an accessible name such as "3 findings", the number main gives.
  await expect(sidebarEntry(page, 'acme-prod').getByRole('button', { name: `${prod.findings} findings` })).toBeVisible()

  // g then r opens the radar.
  await keysGrid(page).focus()
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
  await expect(page.getByRole('region', { name: /^Scheduled revokes/ }).getByRole('status')).toHaveText('No revokes are scheduled.')

  // Still presented: the revoked key a service keeps presenting, with its count and last time.
  const presented = page.getByRole('table', { name: 'Still-presented keys' })
  await expect(presented.getByRole('row').filter({ hasText: 'fraud-detector-prod-rotated' }).first()).toContainText(/\d+ times/)
  await shoot(page, 'radar')

  // Drill-down: the category's keys across tenants, each with its tenant and environment.
  await page.setViewportSize({ width: 1024, height: 700 })
  await page.getByRole('button', { name: /^Expiring within 1 day:/ }).click()
  const keys = page.getByRole('table', { name: 'Radar keys' })
  await expect(keys.getByRole('row')).toHaveCount(1 + oneDay.total)
  const prodRow = keys.getByRole('row').filter({ hasText: 'payments-gateway-prod-expiring' }).filter({ hasText: 'acme-prod' })
  await expect(prodRow).toContainText('Production')
  await expect(keys.getByRole('row').filter({ hasText: 'globex-staging' }).first()).toContainText('Staging')
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024)
  // Nothing in the radar scrolls sideways at 1024, and every action button is whole.
  const sideways = await page.evaluate(() => {
    const out: string[] = []
    for (const el of document.querySelectorAll<HTMLElement>('.radar *, .radar')) {
      const x = getComputedStyle(el).overflowX
      if ((x === 'auto' || x === 'scroll') && el.scrollWidth > el.clientWidth + 1) out.push(`${el.className} ${el.scrollWidth} > ${el.clientWidth}`)
    }
    const body = document.querySelector('.radar-body')!.getBoundingClientRect()
    for (const b of document.querySelectorAll<HTMLElement>('.radar-actions button')) {
      const r = b.getBoundingClientRect()
      if (b.scrollWidth > b.clientWidth + 1 || r.right > body.right + 0.5) out.push(`cut: ${b.getAttribute('aria-label')}`)
    }
    return out
  })
  expect(sideways).toEqual([])
  await snap(page, 'radar-drilldown-1024-light')

  // Open in its tenant: the keys view of acme-prod with that key's details.
  await prodRow.getByRole('button', { name: /^Open payments-gateway-prod-expiring in acme-prod$/ }).click()
  await expect(page.getByRole('complementary', { name: 'Details of payments-gateway-prod-expiring' })).toBeVisible()
  await expect(page.getByRole('button', { name: 'acme-prod', exact: true })).toHaveAttribute('aria-current', 'page')

  // The badge, named with its tenant and showing the whole count (no "99+"), opens the radar
  // for its tenant only; "Show every tenant" widens it again.
  const staging = s.tenants.find((t) => t.label === 'globex-staging')!
  const badge = sidebarEntry(page, 'globex-staging').getByRole('button', { name: `${staging.findings} findings in globex-staging`, exact: true })
  await expect(badge).toHaveText(staging.findings.toLocaleString())
  const size = await badge.boundingBox()
  expect(size!.width).toBeGreaterThanOrEqual(24)
  expect(size!.height).toBeGreaterThanOrEqual(24)
  await badge.click()
  await expect(page.getByRole('heading', { name: 'Radar', level: 1 })).toBeVisible()
  const own = page.getByRole('table', { name: 'Radar findings in globex-staging' })
  await expect(own).toBeVisible()
  await expect(own).not.toContainText('acme-prod')
  await expect(own.getByRole('button', { name: /^Expiring within 1 day:/ })).toHaveAccessibleName(
    `Expiring within 1 day: ${oneDay.tenants.find((t) => t.tenant === staging.id)!.count} key${oneDay.tenants.find((t) => t.tenant === staging.id)!.count === 1 ? '' : 's'}`
  )
  await page.getByRole('button', { name: 'Show every tenant' }).click()
  await expect(page.getByRole('table', { name: 'Radar findings', exact: true })).toContainText('acme-prod')
})

test('radar settings: a threshold changed for one environment changes the counts; a bad value is told on its field', async ({ page, harness }) => {
  await twoTenants(page, harness)
  const before = await storedSummary(harness, 2)
  const prodId = before.tenants.find((t) => t.label === 'acme-prod')!.id
  const unused = before.categories.find((c) => c.category === 'unused')!
  // The showcase's legacy-exporter-prod-unused was last used 200 days ago: unused in production (90 days).
  const prodUnused = unused.tenants.find((t) => t.tenant === prodId)!.count
  expect(prodUnused).toBeGreaterThan(0)
  await openRadar(page)
  const unusedButton = (n: number) => page.getByRole('button', { name: new RegExp(`^Unused: ${n} keys?$`) })
  await expect(unusedButton(unused.total)).toBeVisible()

  const dialog = await openRadarSettings(page)
  const prodUnusedDays = dialog.getByRole('spinbutton', { name: 'Unused after (days) for Production', exact: true })
  await expect(prodUnusedDays).toHaveValue('90')
  await expect(dialog.getByRole('spinbutton', { name: 'Unused after (days) for Staging', exact: true })).toHaveValue('180')
  await expect(dialog.getByRole('switch', { name: 'Expiry notifications for Development' })).not.toBeChecked()
  await shoot(page, 'radar-settings')

  // A value the shared schema refuses: its note under it, one plain summary, nothing saved.
  await prodUnusedDays.fill('0')
  await dialog.getByRole('button', { name: 'Save' }).click()
  await expect(prodUnusedDays).toHaveAttribute('aria-invalid', 'true')
  await expect(dialog.getByText('Type at least 1 day')).toBeVisible()
  await expect(dialog.getByRole('alert')).toHaveText('Check Unused after (days) for Production: the note under it says what is wrong.')
  await page.setViewportSize({ width: 1024, height: 700 })
  await snap(page, 'radar-settings-error-1024-light')
  expect((await call<Settings>(harness, 'settings.get')).radar.production.unusedDays).toBe(90)

  // Ten years: no production key is that unused. Saved, the radar counts again; focus returns.
  await prodUnusedDays.fill('3650')
  await dialog.getByRole('button', { name: 'Save' }).click()
  await expect(dialog).toBeHidden()
  await expect(page.getByRole('button', { name: 'Radar settings…' })).toBeFocused()
  await expect(unusedButton(unused.total - prodUnused)).toBeVisible()
  const after = await summary(harness)
  expect(after.categories.find((c) => c.category === 'unused')!.tenants.find((t) => t.tenant === prodId)).toBeUndefined()
  // Only what changed was written: staging keeps its own threshold.
  const saved = (await call<Settings>(harness, 'settings.get')).radar
  expect([saved.production.unusedDays, saved.staging.unusedDays, saved.production.neverUsedDays]).toEqual([3650, 180, 14])
})

test('radar: revoke one key from the drill-down with the existing dialog, and revoke a selection across two tenants', async ({ page, harness }) => {
  await page.setViewportSize({ width: 1280, height: 800 })
  await twoTenants(page, harness)
  await openRadar(page)
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

test('radar: scheduled revokes of every tenant with countdowns, overdue while MeshQu is unreachable, one-click cancel, then it runs', async ({
  page,
  harness
}) => {
  test.setTimeout(120_000)
  await twoTenants(page, harness)
  await scheduleFromPanel(page, 'acme-prod', 'legacy-exporter-prod-unused', 'In 24 hours')
  await scheduleFromPanel(page, 'globex-staging', 'ci-evaluator-staging-never-used', 'In 1 hour')

  await openRadar(page)
  const section = page.getByRole('region', { name: /^Scheduled revokes/ })
  const table = section.getByRole('table', { name: 'Scheduled revokes' })
  // Soonest first, each with its tenant and the countdown; the exact UTC time on hover.
  const rows = table.getByRole('row')
  await expect(rows).toHaveCount(3)
  await expect(rows.nth(1)).toContainText('globex-staging')
  await expect(rows.nth(1)).toContainText('ci-evaluator-staging-never-used')
  await expect(rows.nth(1)).toContainText(/Revokes in (60 min|1 h),/)
  await expect(rows.nth(2)).toContainText('acme-prod')
  await expect(rows.nth(2)).toContainText(/Revokes in 24 h,/)
  await expect(rows.nth(2).getByText(/^in 24 h$/)).toHaveAttribute('title', /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/)
  await shoot(page, 'radar-schedules')

  // Two hours later with MeshQu unreachable: the revoke is tried, fails for now and reads overdue.
  harness.sandbox.control.setFaults({ drop_connections: 1_000_000 })
  clock.shift = 2 * 3_600_000
  await expect(rows.nth(1)).toContainText('Scheduled revoke overdue', { timeout: 30_000 })
  // Counted on main's clock (two hours ahead of this page's): due an hour ago, tried again in 30 s.
  await expect(rows.nth(1)).toContainText(/\(due 1 hour ago\)\. Could not reach .*\. Trying again (in|just now)/)
  await page.setViewportSize({ width: 1024, height: 700 })
  await snap(page, 'radar-schedules-overdue-1024-light')
  await page.emulateMedia({ colorScheme: 'dark' })
  await snap(page, 'radar-schedules-overdue-1024-dark')
  await page.emulateMedia({ colorScheme: 'light' })

  // One click cancels the other one; focus waits on the list's heading.
  await table.getByRole('button', { name: 'Cancel scheduled revoke of legacy-exporter-prod-unused in acme-prod' }).click()
  await expect(rows).toHaveCount(2)
  await expect(section.getByRole('heading', { level: 2 })).toBeFocused()
  expect(await schedulesIn(harness, 'cancelled')).toEqual(['legacy-exporter-prod-unused'])

  // MeshQu is back: the next attempt revokes the key, and the list is empty.
  harness.sandbox.control.clearFaults()
  clock.shift = 3 * 3_600_000
  await expect(section.getByRole('status')).toHaveText('No revokes are scheduled.', { timeout: 30_000 })
  expect(await schedulesIn(harness, 'done')).toEqual(['ci-evaluator-staging-never-used'])
})

test('radar: the credential report downloads where there is no save dialog', async ({ page, harness }) => {
  await twoTenants(page, harness)
  await openRadar(page)
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
  const shown: { title: string; body: string; click?: () => void }[] = []
  test.use({
    coreOptions: {
      now: shiftedNow,
      expiryCheckEveryMs: 300,
      notifier: { notify: (title, body, options) => void shown.push({ title, body, click: options?.onClick }) }
    }
  })
  test.beforeEach(() => {
    shown.length = 0
  })
  const about = (label: string) => shown.filter((n) => n.title.includes(label) || n.body.includes(label))

  test('batched per tenant, each key and threshold once, nothing repeated after a restart', async ({ page, harness }) => {
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

  test('turned off for an environment in Radar settings: nothing about its tenants until turned on again', async ({ page, harness }) => {
    await addTenants(page, harness, [STAGING], 40)
    await expect.poll(() => about('globex-staging').length).toBeGreaterThan(0)

    await openRadar(page)
    let dialog = await openRadarSettings(page)
    const prodSwitch = dialog.getByRole('switch', { name: 'Expiry notifications for Production' })
    await expect(prodSwitch).toBeChecked()
    await prodSwitch.uncheck()
    await dialog.getByRole('button', { name: 'Save' }).click()
    await expect(dialog).toBeHidden()
    expect((await call<Settings>(harness, 'settings.get')).radar.production.notifyExpiry).toBe(false)

    // A production tenant with keys near expiry: its keys reach the store, checks run, none about it.
    const told = shown.length
    await addTenantViaUi(page, harness, 1, PROD)
    await expect(page.getByText('40 keys')).toBeVisible()
    await storedSummary(harness, 2)
    await page.waitForTimeout(1500)
    expect(shown.slice(told)).toEqual([])

    // On again: nothing was marked while it was off, so what is due now is told at the next check.
    await openRadar(page)
    dialog = await openRadarSettings(page)
    await dialog.getByRole('switch', { name: 'Expiry notifications for Production' }).check()
    await dialog.getByRole('button', { name: 'Save' }).click()
    await expect(dialog).toBeHidden()
    await expect.poll(() => about('acme-prod').length).toBe(1)
    expect(about('acme-prod')[0]!.title).toMatch(/^\d+ keys? in acme-prod expires? within/)
  })

  test("clicked on the desktop (Electron's route: main keeps the click, the window reads it when it comes forward), it opens the radar filtered", async ({
    page,
    harness
  }) => {
    await addTenants(page, harness, [PROD], 40)
    await expect.poll(() => about('acme-prod').length).toBeGreaterThan(0)
    const [notice] = about('acme-prod')
    // What the Electron shell does on a click: tell the core, then bring the window forward.
    notice!.click!()
    await page.evaluate(() => window.dispatchEvent(new Event('focus')))
    await expect(page.getByRole('heading', { name: 'Radar', level: 1 })).toBeVisible()
    const click = await call<{ click: { action: NotificationAction } }>(harness, 'notifications.lastClick')
    const days = Number(/^expiring-(\d+)d$/.exec(click.click.action.category!)![1])
    await expect(page.getByRole('heading', { level: 2, name: drillDownHeading(days, 'acme-prod') })).toBeVisible()
  })
})

test.describe('a notification clicked in the browser', () => {
  // The web preview has no desktop notifier: main keeps what it notified (notifications.recent)
  // and the page shows it with the browser's Notification API, once the browser allows it.
  test.use({ coreOptions: { now: shiftedNow, expiryCheckEveryMs: 300 }, permissions: ['notifications'] })

  test('opens the radar, filtered to its tenant and category', async ({ page, harness }) => {
    // The page's own notifications, kept so the test can click one as the operator would.
    await page.addInitScript(() => {
      const Real = window.Notification
      const shown: Notification[] = []
      class Kept extends Real {
        constructor(title: string, options?: NotificationOptions) {
          super(title, options)
          shown.push(this)
        }
      }
      Object.assign(window, { Notification: Kept, __shownNotifications: shown })
    })
    await addTenants(page, harness, [PROD], 40)
    const shownTitles = () =>
      page.evaluate(() => (window as unknown as { __shownNotifications: Notification[] }).__shownNotifications.map((n) => n.title))
    // The page asks main for new notices every 15 s.
    await expect.poll(shownTitles, { timeout: 40_000 }).not.toEqual([])
    const [first] = await shownTitles()
    const { notices } = await call<{ notices: { title: string; action: NotificationAction | null }[] }>(harness, 'notifications.recent', {})
    const notice = notices.find((n) => n.title === first)!
    expect(notice.action).toMatchObject({ kind: 'radar', tenant: expect.any(String), category: expect.stringMatching(/^expiring-/) })
    // No "Allow expiry notifications" button: the browser already allows them.
    await expect(page.getByRole('button', { name: 'Allow expiry notifications' })).toHaveCount(0)

    await page.evaluate(() =>
      (window as unknown as { __shownNotifications: Notification[] }).__shownNotifications[0]!.dispatchEvent(new Event('click'))
    )
    await expect(page.getByRole('heading', { name: 'Radar', level: 1 })).toBeVisible()
    // An expiry notice opens its window's drill-down ("expiring-7d": "Expiring within 7 days").
    const days = Number(/^expiring-(\d+)d$/.exec(notice.action!.category!)![1])
    await expect(page.getByRole('heading', { level: 2, name: drillDownHeading(days, 'acme-prod') })).toBeVisible()
    const rows = page.getByRole('table', { name: 'Radar keys' }).getByRole('row')
    await expect(rows.nth(1)).toBeVisible()
    for (const row of (await rows.all()).slice(1)) await expect(row).toContainText('acme-prod')
    await expect(page.getByRole('button', { name: 'Show every tenant' })).toBeVisible()
  })
})

test.describe('journal and scheduled revokes', () => {
  test.use({ sandboxOptions: { port: 0, tenants: 1, seedKeys: 12, quiet: true } })

  async function openTenant(page: Page, harness: Harness, tenant = { label: 'acme-staging', environment: 'staging' }) {
    await addTenants(page, harness, [tenant], 12)
    await onlyActive(page)
    return keysGrid(page)
  }

  test('a revoke with a reason: journal (panel and view), CSV and JSON exports, chain intact', async ({ page, harness }) => {
    const table = await openTenant(page, harness)
    await table.getByRole('row').nth(2).click()
    const name = (await detailOf(page).getByRole('heading', { level: 2 }).textContent())!
    await detailOf(page).getByRole('button', { name: 'Revoke…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Revoke API key' })
    await dialog.getByLabel('Type the key name to confirm').fill(name)
    await dialog.getByLabel(/^Reason/).fill('leaked in CI log SEC-42')
    await dialog.getByRole('button', { name: 'Revoke key' }).click()
    await expect(dialog).toBeHidden()

    // Revoked, the key leaves the Active view (and its panel closes); show every key and open it again.
    await page.getByRole('button', { name: /^Active \d+$/ }).click()
    await table.getByRole('row').filter({ hasText: name }).first().click()
    // The detail panel shows the journal entry beside MeshQu's audit events.
    const entries = detailOf(page).getByRole('list', { name: 'Journal entries for this key' })
    await expect(entries).toContainText('Key revoked')
    await expect(entries).toContainText('Reason: leaked in CI log SEC-42')

    // The Journal view, from its shortcut; focus returns where it came from.
    await page.getByRole('searchbox', { name: 'Search keys' }).focus()
    await page.keyboard.press('Escape')
    await page.locator('body').click({ position: { x: 5, y: 5 } })
    await page.keyboard.press('j')
    const journal = page.getByRole('dialog', { name: 'Journal' })
    await expect(journal).toBeVisible()
    const row = journal.getByRole('row').filter({ hasText: 'leaked in CI log SEC-42' })
    await expect(row).toContainText('Key revoked')
    await expect(row).toContainText(name)
    // Filter by action: the tenant.add entry goes, the revoke stays.
    await expect(journal.getByRole('row').filter({ hasText: 'Tenant added' })).toHaveCount(1)
    await journal.getByLabel('Action').selectOption({ label: 'Key revoked' })
    await expect(journal.getByRole('row').filter({ hasText: 'Tenant added' })).toHaveCount(0)
    await expect(row).toBeVisible()

    const [csv] = await Promise.all([page.waitForEvent('download'), journal.getByRole('button', { name: 'Export CSV' }).click()])
    const csvText = readFileSync((await csv.path())!, 'utf8')
    expect(csvText).toContain('leaked in CI log SEC-42')
    expect(csvText).toContain(name)
    const [json] = await Promise.all([page.waitForEvent('download'), journal.getByRole('button', { name: 'Export JSON' }).click()])
    expect(readFileSync((await json.path())!, 'utf8')).toContain('leaked in CI log SEC-42')

    await journal.getByRole('button', { name: 'Check integrity' }).click()
    await expect(journal.getByRole('status').filter({ hasText: /chain is intact/ })).toBeVisible()
    await journal.getByLabel('Action').selectOption({ label: 'All actions' })
    await shoot(page, 'journal-view')
    await page.keyboard.press('Escape')
    await expect(journal).toBeHidden()
  })

  test('a reason is required for production when the setting is on; main refuses without one', async ({ page, harness }) => {
    await addTenants(page, harness, [PROD], 12)
    await page.keyboard.press('j')
    const journal = page.getByRole('dialog', { name: 'Journal' })
    // The checkbox mirrors the stored setting, so it turns checked once main has saved it.
    await journal.getByLabel('Require a reason for production changes').click()
    await expect(journal.getByLabel('Require a reason for production changes')).toBeChecked()
    await page.keyboard.press('Escape')
    await onlyActive(page)
    await keysGrid(page).getByRole('row').nth(2).click()
    const name = (await detailOf(page).getByRole('heading', { level: 2 }).textContent())!
    await detailOf(page).getByRole('button', { name: 'Revoke…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Revoke API key' })
    await dialog.getByLabel('Type the key name to confirm').fill(name)
    await expect(dialog.getByLabel(/^Reason/)).toHaveAttribute('aria-required', 'true')
    await expect(dialog.getByRole('button', { name: 'Revoke key' })).toBeDisabled()
    await dialog.getByLabel(/^Reason/).fill('incident 7')
    await expect(dialog.getByRole('button', { name: 'Revoke key' })).toBeEnabled()
    // And main holds the same rule for any caller.
    const listed = await call<{ tenants: { id: string }[] }>(harness, 'tenants.list')
    const refused = await harness.core.invoke('keys.revoke', { tenant: listed.tenants[0]!.id, id: 'x', name })
    expect(refused.ok === false && refused.error.code === 'VALIDATION' && 'reason' in (refused.error.fields ?? {})).toBe(true)
  })

  test('revoke scheduled after a rotation: countdown, one-click cancel, then it runs', async ({ page, harness }) => {
    await openTenant(page, harness)
    const oldName = await rotateRow(page, 2)
    // The finish step: "In 1 hour" for the old key.
    const finish = page.getByRole('dialog', { name: 'Rotate API key' })
    await finish.getByRole('combobox', { name: 'When to revoke' }).selectOption({ label: 'In 1 hour' })
    await finish.getByRole('button', { name: "Schedule the old key's revoke" }).click()
    await expect(finish).toBeHidden()

    await page.getByRole('searchbox', { name: 'Search keys' }).fill(oldName)
    const table = keysGrid(page)
    // The old key, not its replacement (whose name starts with the old one).
    const oldRow = table.getByRole('row').filter({ hasText: oldName }).filter({ hasNotText: '-rotated-' })
    await expect(oldRow).toContainText(/revokes in (60 min|1 h)/)
    await oldRow.click()
    const box = detailOf(page).getByRole('region', { name: 'Scheduled revoke' })
    await expect(box.getByRole('status')).toContainText(/Revokes in (60 min|1 h)/)
    await shoot(page, 'detail-countdown')

    // One click cancels it.
    await box.getByRole('button', { name: 'Cancel scheduled revoke' }).click()
    await expect(box.getByRole('button', { name: 'Schedule a revoke' })).toBeVisible()
    await expect(oldRow).not.toContainText('revokes in')

    // Schedule it again from the panel, an hour ahead; then the hour passes.
    await box.getByRole('button', { name: 'Schedule a revoke' }).click()
    await box.getByRole('combobox', { name: 'When to revoke' }).selectOption({ label: 'In 1 hour' })
    await box.getByRole('button', { name: 'Schedule revoke' }).click()
    await expect(box.getByRole('status')).toContainText(/Revokes in/)
    clock.shift = 2 * 3_600_000
    // Main's runner does it (the renderer does not know the clock jumped, so look at main first)…
    await expect.poll(() => schedulesIn(harness, 'done')).toContain(oldName)
    // …and the app shows it: the row revoked, the journal entry beside the audit events.
    await page.reload()
    await page.getByRole('searchbox', { name: 'Search keys' }).fill(oldName)
    await expect(oldRow).toContainText('Revoked')
    await expect(oldRow).not.toContainText('revoke')
    await oldRow.click()
    await expect(detailOf(page).getByRole('list', { name: 'Journal entries for this key' })).toContainText('Scheduled revoke ran')
  })

  test('a revoke due while KeyDesk was closed runs at the next start and is reported once', async ({ page, harness }) => {
    await openTenant(page, harness)
    const oldName = await rotateRow(page, 2)
    const finish = page.getByRole('dialog', { name: 'Rotate API key' })
    await finish.getByRole('combobox', { name: 'When to revoke' }).selectOption({ label: 'In 24 hours' })
    await finish.getByRole('button', { name: "Schedule the old key's revoke" }).click()
    await expect(finish).toBeHidden()

    // Closed for two days.
    clock.shift = 2 * 86_400_000
    await harness.restart()
    await page.reload()
    const away = page.getByRole('status', { name: 'While you were away' })
    await expect(away).toContainText(oldName)
    await expect(away).toContainText('revoked')
    await away.getByRole('button', { name: 'Dismiss' }).click()
    await expect(away).toBeHidden()
    await page.reload()
    await expect(keysGrid(page)).toBeVisible()
    await expect(page.getByRole('status', { name: 'While you were away' })).toHaveCount(0)
  })
})
