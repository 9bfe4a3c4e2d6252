import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { addTenantViaUi, expect, snap, test, type Harness, rendererHeap } from './harness/fixtures'

test.use({ sandboxOptions: { port: 0, tenants: 2, seedKeys: 120, quiet: true } })

async function openTenant(page: Page, harness: Harness) {
  await harness.open(page)
  await addTenantViaUi(page, harness, 0, { label: 'acme-staging' })
  await expect(page.getByText('120 keys')).toBeVisible()
  return page.getByRole('grid', { name: 'API keys' })
}

/** Every file under a folder, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f)
    return statSync(p).isDirectory() ? filesUnder(p) : [p]
  })
}

test('browse: search, status filter, sort, keyboard and the detail panel', async ({ page, harness }) => {
  const table = await openTenant(page, harness)
  // Status filter with counts.
  const revokedChip = page.getByRole('button', { name: /^Revoked \d+$/ })
  const count = Number((await revokedChip.textContent())!.match(/\d+/)![0])
  await revokedChip.click()
  await expect(page.getByText(`${count} of 120 keys`)).toBeVisible()
  await revokedChip.click()
  // Sort by name ascending.
  await table.getByRole('button', { name: 'Name' }).click()
  await expect(table.getByRole('columnheader', { name: /Name/ })).toHaveAttribute('aria-sort', 'ascending')
  // Keyboard: / focuses search, arrows move, Enter opens details.
  await page.keyboard.press('/')
  await expect(page.getByRole('searchbox', { name: 'Search keys' })).toBeFocused()
  await table.focus()
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('Enter')
  const detail = page.getByRole('complementary', { name: /^Details of / })
  await expect(detail).toBeVisible()
  await expect(detail.getByRole('heading', { name: 'Audit events' })).toBeVisible()
  await snap(page, 'keys-detail')
})

test('create a scoped key with the copy-once dialog; the plaintext reaches no renderer storage, log, file or cache', async ({ page, harness }) => {
  await openTenant(page, harness)
  await page.getByRole('button', { name: 'Create key' }).click()
  const create = page.getByRole('dialog', { name: 'Create API key' })
  await create.getByLabel('Name').fill('kd-e2e-created-key')
  await create.getByRole('button', { name: 'Evaluate only' }).click()
  await create.getByLabel('api-keys:admin').check()
  await expect(create.getByRole('status').filter({ hasText: /least privilege|api-keys:admin/i })).toBeVisible()
  await create.getByLabel('api-keys:admin').uncheck()
  await snap(page, 'keys-create')
  await create.getByRole('button', { name: 'Create key' }).click()

  const once = page.getByRole('dialog', { name: 'Copy your new key' })
  await expect(once).toBeVisible()
  // Esc does not close it before the acknowledgement, not even twice in a row.
  await page.keyboard.press('Escape')
  await page.keyboard.press('Escape')
  await page.keyboard.press('Escape')
  await expect(once).toBeVisible()
  await expect(once.getByRole('button', { name: 'Copy key' })).toBeVisible()
  await once.getByRole('button', { name: 'Copy key' }).click()
  await expect(once.getByText(/Clipboard clears in \d+ s/)).toBeVisible()
  const plaintext = harness.clipboard.text
  expect(plaintext).toMatch(/^mqu_test_/)
  await snap(page, 'keys-copy-once')
  const done = once.getByRole('button', { name: 'Done' })
  await expect(done).toBeDisabled()
  await once.getByLabel('I have stored this key').check()
  await done.click()
  await expect(once).toBeHidden()
  await expect(page.getByRole('grid', { name: 'API keys' }).getByRole('gridcell', { name: 'kd-e2e-created-key', exact: true })).toBeVisible()

  // Search everywhere the plaintext must never be: the page, its storage, the renderer heap, the data dir.
  const storage = await page.evaluate(async () => ({
    dom: document.documentElement.outerHTML,
    local: JSON.stringify({ ...localStorage }),
    session: JSON.stringify({ ...sessionStorage }),
    idb: JSON.stringify((await indexedDB.databases?.()) ?? [])
  }))
  for (const [where, text] of Object.entries(storage)) expect(text, where).not.toContain(plaintext)
  const heap = await rendererHeap(page)
  expect(heap.length).toBeGreaterThan(100_000)
  expect(heap.includes(plaintext), 'renderer heap (React Query cache, zustand, component state)').toBe(false)
  expect(harness.logLines.join('\n')).not.toContain(plaintext)
  for (const file of filesUnder(harness.dataDir)) {
    expect(readFileSync(file).includes(plaintext), file).toBe(false)
  }
})

test('revoke with the typed name: immediate, and the row turns revoked', async ({ page, harness }) => {
  const table = await openTenant(page, harness)
  await page.getByRole('button', { name: /^Active \d+$/ }).click()
  // Row 1 is KeyDesk's own admin key: revoking it is allowed, but warned about.
  await table.getByRole('row').nth(1).click()
  const detail = page.getByRole('complementary', { name: /^Details of / })
  await detail.getByRole('button', { name: 'Revoke…' }).click()
  const own = page.getByRole('dialog', { name: 'Revoke API key' })
  await expect(own).toContainText('This is the admin key KeyDesk uses for acme-staging')
  await own.getByRole('button', { name: 'Cancel' }).click()
  await expect(own).toBeHidden()

  await table.getByRole('row').nth(2).click()
  const name = (await detail.getByRole('heading', { level: 2 }).textContent())!
  await detail.getByRole('button', { name: 'Revoke…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Revoke API key' })
  await expect(dialog).not.toContainText('This is the admin key KeyDesk uses')
  await expect(dialog).toContainText('acme-staging')
  await expect(dialog).toContainText('permanent')
  const go = dialog.getByRole('button', { name: 'Revoke key' })
  await expect(go).toBeDisabled()
  await dialog.getByLabel('Type the key name to confirm').fill(name)
  await snap(page, 'keys-revoke')
  await go.click()
  await expect(dialog).toBeHidden()
  await page.getByRole('button', { name: /^Active \d+$/ }).click()
  await page.getByRole('searchbox', { name: 'Search keys' }).fill(name)
  await expect(page.getByRole('grid', { name: 'API keys' }).getByRole('row').nth(1)).toContainText('Revoked')
})

test('rotate: replacement with the same scopes, copy-once, old key kept for later with a reminder', async ({ page, harness }) => {
  const table = await openTenant(page, harness)
  await page.getByRole('button', { name: /^Active \d+$/ }).click()
  await table.getByRole('row').nth(2).click()
  await page
    .getByRole('complementary', { name: /^Details of / })
    .getByRole('button', { name: 'Rotate key' })
    .click()
  const rotate = page.getByRole('dialog', { name: 'Rotate API key' })
  await rotate.getByRole('button', { name: 'Rotate key' }).click()
  const once = page.getByRole('dialog', { name: 'Copy your new key' })
  await once.getByLabel('I have stored this key').check()
  await once.getByRole('button', { name: 'Done' }).click()
  // Revoking the old key now needs its name typed, like any revocation.
  await expect(page.getByRole('button', { name: 'Revoke old key now' })).toBeDisabled()
  await page.getByRole('button', { name: 'Later' }).click()
  await expect(page.getByText(/1 rotation pending/)).toBeVisible()
  await snap(page, 'keys-rotation-pending')
})

test('bulk revoke: shift-click selection, typed count, progress, results', async ({ page, harness }) => {
  const table = await openTenant(page, harness)
  await page.getByRole('button', { name: /^Active \d+$/ }).click()
  const boxes = table.getByRole('checkbox', { name: /^Select (?!all)/ })
  // Row 0 is KeyDesk's own admin key (newest): it can never be bulk-selected.
  await expect(boxes.nth(0)).toBeDisabled()
  await expect(table.getByRole('row').nth(1)).toContainText("KeyDesk's admin key")
  await boxes.nth(1).click()
  await boxes.nth(3).click({ modifiers: ['Shift'] })
  await page.getByRole('button', { name: 'Revoke selected (3)' }).click()
  const dialog = page.getByRole('dialog', { name: 'Revoke selected keys' })
  await dialog.getByLabel('Type the number of keys to confirm').fill('3')
  await snap(page, 'keys-bulk-confirm')
  await dialog.getByRole('button', { name: 'Revoke 3 keys' }).click()
  await expect(dialog.getByText('3 of 3 revoked')).toBeVisible()
  await expect(dialog.getByRole('progressbar', { name: 'Revocation progress' })).toHaveAttribute('aria-valuenow', '3')
  await snap(page, 'keys-bulk-done')
})

test('export the filtered view as CSV and JSON (metadata only)', async ({ page, harness }) => {
  await openTenant(page, harness)
  await page.getByRole('button', { name: /^Revoked \d+$/ }).click()
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()])
  const text = readFileSync((await csv.path())!, 'utf8')
  const lines = text.trim().split('\r\n')
  expect(lines[0]).toBe('id,name,key_preview,status,scopes,created_at,expires_at,last_used_at,created_by,revoked_at,revoked_by')
  expect(lines.slice(1).every((l) => l.includes(',revoked,'))).toBe(true)
  expect(text).not.toMatch(/mqu_test_[A-Za-z0-9]{12}/)
  const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export JSON' }).click()])
  const parsed = JSON.parse(readFileSync((await json.path())!, 'utf8'))
  expect(parsed.count).toBe(lines.length - 1)
})

test('search all tenants finds which tenant a preview belongs to', async ({ page, harness }) => {
  await openTenant(page, harness)
  await addTenantViaUi(page, harness, 1, { label: 'globex-staging' })
  // acme-staging may hold 120 keys too: the header names the tenant whose rows are shown.
  await expect(page.getByRole('heading', { level: 1, name: 'globex-staging' })).toBeVisible()
  await expect(page.getByText('120 keys')).toBeVisible()
  const firstPreview = (await page.getByRole('grid', { name: 'API keys' }).getByRole('row').nth(1).getByRole('gridcell').nth(2).textContent())!
  await page.getByRole('navigation', { name: 'Tenants' }).getByRole('button', { name: 'acme-staging', exact: true }).click()
  await page.getByRole('button', { name: 'Search all tenants' }).click()
  const dialog = page.getByRole('dialog', { name: 'Search all tenants' })
  await dialog.getByRole('searchbox', { name: 'Search all tenants' }).fill(firstPreview)
  const matches = dialog.getByRole('table', { name: 'Matches across tenants' })
  await expect(matches.getByRole('row').nth(1)).toContainText('globex-staging')
  await snap(page, 'keys-search-all')
})
