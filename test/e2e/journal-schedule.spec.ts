import { readFileSync } from 'node:fs'
import type { Page } from '@playwright/test'
import { addTenantViaUi, expect, snap, test, type Harness } from './harness/fixtures'

/**
 * Issue 14 §3–4 end to end: reasons reach the journal and its exports, the chain checks out, and
 * scheduled revokes run — while KeyDesk runs, and at the next start after it was closed.
 * The core's clock is shifted (not waited on) to make time pass; its runner checks every 100 ms.
 */
const clock = { shift: 0 }
test.use({
  sandboxOptions: { port: 0, tenants: 1, seedKeys: 12, quiet: true },
  coreOptions: { now: () => Date.now() + clock.shift, scheduleCheckMs: 100 }
})
test.beforeEach(() => {
  clock.shift = 0
})

async function openTenant(page: Page, harness: Harness) {
  await harness.open(page)
  await addTenantViaUi(page, harness, 0, { label: 'acme-staging' })
  await expect(page.getByText('12 keys')).toBeVisible()
  await page.getByRole('button', { name: /^Active \d+$/ }).click()
  return page.getByRole('grid', { name: 'API keys' })
}

const detailOf = (page: Page) => page.getByRole('complementary', { name: /^Details of / })

/** Rotates the key in row `row` (the old key stays selected) and returns its name. */
async function rotateRow(page: Page, row: number) {
  await page.getByRole('grid', { name: 'API keys' }).getByRole('row').nth(row).click()
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

async function shoot(page: Page, name: string) {
  for (const [w, h] of [
    [1024, 700],
    [1280, 800]
  ] as const) {
    for (const scheme of ['light', 'dark'] as const) {
      await page.setViewportSize({ width: w, height: h })
      await page.emulateMedia({ colorScheme: scheme })
      // No sideways scrolling at 1024 px.
      const wide = await page.evaluate(() =>
        [...document.querySelectorAll('dialog[open] *, .detail *')]
          .filter((el) => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible')
          .map((el) => el.className)
      )
      expect(wide).toEqual([])
      await snap(page, `${name}-${w}-${scheme}`)
    }
  }
  await page.emulateMedia({ colorScheme: 'light' })
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
  await harness.open(page)
  await addTenantViaUi(page, harness, 0, { label: 'acme-prod', environment: 'production' })
  await expect(page.getByText('12 keys')).toBeVisible()
  await page.keyboard.press('j')
  const journal = page.getByRole('dialog', { name: 'Journal' })
  // The checkbox mirrors the stored setting, so it turns checked once main has saved it.
  await journal.getByLabel('Require a reason for production changes').click()
  await expect(journal.getByLabel('Require a reason for production changes')).toBeChecked()
  await page.keyboard.press('Escape')
  await page.getByRole('button', { name: /^Active \d+$/ }).click()
  await page.getByRole('grid', { name: 'API keys' }).getByRole('row').nth(2).click()
  const name = (await detailOf(page).getByRole('heading', { level: 2 }).textContent())!
  await detailOf(page).getByRole('button', { name: 'Revoke…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Revoke API key' })
  await dialog.getByLabel('Type the key name to confirm').fill(name)
  await expect(dialog.getByLabel(/^Reason/)).toHaveAttribute('aria-required', 'true')
  await expect(dialog.getByRole('button', { name: 'Revoke key' })).toBeDisabled()
  await dialog.getByLabel(/^Reason/).fill('incident 7')
  await expect(dialog.getByRole('button', { name: 'Revoke key' })).toBeEnabled()
  // And main holds the same rule for any caller.
  const listed = (await harness.core.invoke('tenants.list', undefined)) as { ok: true; data: { tenants: { id: string }[] } }
  const refused = await harness.core.invoke('keys.revoke', { tenant: listed.data.tenants[0]!.id, id: 'x', name })
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
  const table = page.getByRole('grid', { name: 'API keys' })
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
  await expect
    .poll(async () => {
      const r = (await harness.core.invoke('schedule.list', { states: ['done'] })) as { ok: boolean; data?: { schedules: { keyName: string }[] } }
      return r.data?.schedules.map((x) => x.keyName) ?? []
    })
    .toContain(oldName)
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
  await expect(page.getByRole('grid', { name: 'API keys' })).toBeVisible()
  await expect(page.getByRole('status', { name: 'While you were away' })).toHaveCount(0)
})
