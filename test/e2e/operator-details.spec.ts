import type { Page } from '@playwright/test'
import { addTenantShown, addTenantViaUi, expect, snap, test } from './harness/fixtures'

/**
 * What a new operator hit on the frame and the small screens: a tenant's name always readable,
 * toasts that go by themselves and keep off open panels, Add tenant's errors, sorting from the
 * whole header, one rule for filters across tenants, Esc in Search all, a refused notification
 * permission said in words, the journal with room for its entries and one scrollbar per dialog,
 * and past times never in the future tense.
 */
test.use({ sandboxOptions: { port: 0, tenants: 2, seedKeys: 60, quiet: true } })

const nav = (page: Page) => page.getByRole('navigation', { name: 'Tenants' })
const grid = (page: Page) => page.getByRole('grid', { name: 'API keys' })

/** Elements that scroll (either way) inside `selector`, itself included. */
async function scrollers(page: Page, selector: string, axis: 'x' | 'y') {
  return page.evaluate(
    ({ selector, axis }) => {
      const root = document.querySelector(selector)
      if (!root) return ['missing']
      return [root, ...root.querySelectorAll('*')]
        .filter((el) => {
          const s = getComputedStyle(el)
          const o = axis === 'x' ? s.overflowX : s.overflowY
          const over = axis === 'x' ? el.scrollWidth > el.clientWidth + 1 : el.scrollHeight > el.clientHeight + 1
          return (o === 'auto' || o === 'scroll') && over
        })
        .map((el) => `${el.tagName.toLowerCase()}.${el.className}`)
    },
    { selector, axis }
  )
}

test('at 1024 and 1280 px: the tenant name is whole in the header beside PRODUCTION and in the sidebar; sidebar entries are named by their text', async ({
  page,
  harness
}) => {
  await harness.open(page)
  await addTenantShown(page, harness, 0, { label: 'acme-production-eu-west', environment: 'production' })
  await addTenantShown(page, harness, 1, { label: 'globex-staging', environment: 'staging' })
  await nav(page).getByRole('button', { name: 'acme-production-eu-west', exact: true }).click()
  await expect(grid(page).getByRole('row').nth(3)).toBeVisible()
  for (const size of [
    { width: 1024, height: 700 },
    { width: 1280, height: 800 }
  ]) {
    await page.setViewportSize(size)
    const title = page.getByRole('heading', { level: 1, name: 'acme-production-eu-west' })
    await expect(title).toBeVisible()
    // Whole: nothing cut with an ellipsis, and the PRODUCTION marker still there.
    expect(await title.evaluate((h) => h.scrollWidth <= h.clientWidth && getComputedStyle(h).textOverflow !== 'ellipsis')).toBe(true)
    await expect(page.getByRole('note', { name: /PRODUCTION tenant/ })).toBeVisible()
    const entry = nav(page).getByRole('button', { name: 'acme-production-eu-west', exact: true })
    expect(await entry.evaluate((b) => b.scrollWidth <= b.clientWidth)).toBe(true)
    // Its name is its visible text; status and counts are its description.
    await expect(entry).toHaveText('acme-production-eu-west')
    await expect(entry).toHaveAccessibleDescription(/online/)
    // KeyDesk's own admin key: its name is not cut to a letter beside its marker.
    await page.getByRole('searchbox', { name: 'Search keys' }).fill(harness.sandbox.tenants[0]!.admin_key.slice(-4))
    const own = grid(page).getByRole('gridcell').filter({ hasText: "KeyDesk's admin key" })
    await expect(own).toBeVisible()
    expect(await own.locator('.name-text').evaluate((n) => n.scrollWidth <= n.clientWidth)).toBe(true)
    await page.getByRole('searchbox', { name: 'Search keys' }).fill('')
    expect(await scrollers(page, 'body', 'x')).toEqual([])
    await snap(page, `details-frame-${size.width}`)
  }
})

test('a confirmation toast goes by itself and never covers an open detail panel', async ({ page, harness }) => {
  await harness.open(page)
  await addTenantShown(page, harness, 0, { label: 'acme-staging' })
  await page.getByRole('button', { name: 'Create key' }).click()
  const create = page.getByRole('dialog', { name: 'Create API key' })
  await create.getByLabel('Name').fill('kd-toast-key')
  await create.getByRole('button', { name: 'Evaluate only' }).click()
  await create.getByRole('button', { name: 'Create key' }).click()
  const once = page.getByRole('dialog', { name: 'Copy your new key' })
  await once.getByLabel('I have stored this key').check()
  await once.getByRole('button', { name: 'Done' }).click()
  const toast = page.locator('.toast').filter({ hasText: 'Key kd-toast-key created.' })
  await expect(toast).toBeVisible()
  await grid(page).getByRole('row').nth(2).click()
  const detail = page.getByRole('complementary', { name: /^Details of / })
  await expect(detail).toBeVisible()
  const [t, d] = [await toast.boundingBox(), await detail.boundingBox()]
  const overlaps = t!.x < d!.x + d!.width && d!.x < t!.x + t!.width && t!.y < d!.y + d!.height && d!.y < t!.y + t!.height
  expect(overlaps, 'the toast sits over the detail panel').toBe(false)
  // Gone by itself after a few seconds.
  await expect(toast).toHaveCount(0, { timeout: 15_000 })
})

test('Add tenant: a new attempt drops the old alert; a base URL pasted with /v1/ is kept as the API root', async ({ page, harness }) => {
  await harness.open(page)
  const t = harness.sandbox.tenants[0]!
  // A wrong admin key: MeshQu's refusal is the form's alert.
  const dialog = await addTenantViaUi(page, harness, 0, { label: 'acme-staging', adminKey: harness.sandbox.tenants[1]!.admin_key })
  const refusal = dialog.getByRole('alert').filter({ hasText: /40[13]/ })
  await expect(refusal).toBeVisible()
  // Then a field error of the form's own: the old alert is gone, only the new one is said.
  await dialog.getByLabel('Label').fill('')
  await dialog.getByRole('button', { name: 'Verify and save' }).click()
  await expect(dialog.getByRole('alert').filter({ hasText: 'Check Label' })).toBeVisible()
  await expect(refusal).toHaveCount(0)
  // The root as API docs print it, with the version: saved and working, without /v1.
  await dialog.getByLabel('Label').fill('acme-staging')
  await dialog.getByLabel('Base URL').fill(`${harness.sandbox.url}/v1/`)
  await dialog.getByLabel('Admin key').fill(t.admin_key)
  await dialog.getByRole('button', { name: 'Verify and save' }).click()
  await expect(dialog).toBeHidden()
  await expect(page.getByText('60 keys')).toBeVisible()
  await page.getByRole('button', { name: 'Tenant settings' }).click()
  await expect(page.getByRole('dialog', { name: 'Tenant settings' }).getByLabel('Base URL')).toHaveValue(harness.sandbox.url)
})

test('the whole column header sorts; another tenant starts unfiltered; Esc closes Search all at once', async ({ page, harness }) => {
  await harness.open(page)
  await addTenantShown(page, harness, 0, { label: 'acme-staging' })
  await addTenantShown(page, harness, 1, { label: 'globex-staging' })
  await expect(grid(page).getByRole('row').nth(3)).toBeVisible()
  // A click at the header cell's far edge, well away from its word, sorts.
  const header = grid(page).getByRole('columnheader', { name: /^Created/ })
  const box = (await header.boundingBox())!
  await page.mouse.click(box.x + box.width - 4, box.y + box.height / 2)
  await expect(header).toHaveAttribute('aria-sort', 'ascending')

  await page
    .getByRole('group', { name: 'Filter by status' })
    .getByRole('button', { name: /^Revoked/ })
    .click()
  await page.getByRole('searchbox', { name: 'Search keys' }).fill('prod')
  await nav(page).getByRole('button', { name: 'acme-staging', exact: true }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'acme-staging' })).toBeVisible()
  await expect(page.getByRole('searchbox', { name: 'Search keys' })).toHaveValue('')
  for (const b of await page.getByRole('group', { name: 'Filter by status' }).getByRole('button').all())
    await expect(b).toHaveAttribute('aria-pressed', 'false')

  const opener = page.getByRole('button', { name: 'Search all tenants' })
  await opener.click()
  const search = page.getByRole('dialog', { name: 'Search all tenants' })
  await search.getByRole('searchbox', { name: 'Search all tenants' }).fill('billing')
  await page.keyboard.press('Escape')
  await expect(search).toBeHidden()
  await expect(opener).toBeFocused()
})

test('the journal at 1024×700 gives its entries the room, with one scrollbar; no dialog scrolls twice', async ({ page, harness }) => {
  await harness.open(page)
  await addTenantShown(page, harness, 0, { label: 'acme-staging' })
  await addTenantShown(page, harness, 1, { label: 'globex-staging' })
  await page.setViewportSize({ width: 1024, height: 700 })
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme })
    await page.getByRole('button', { name: 'Journal', exact: true }).click()
    const journal = page.getByRole('dialog', { name: 'Journal' })
    await expect(journal.getByRole('table', { name: 'Journal' })).toBeVisible()
    const room = await journal.getByRole('region', { name: 'Journal entries' }).or(journal.locator('.journal-scroll')).first().boundingBox()
    expect(room!.height).toBeGreaterThanOrEqual(250)
    expect(await scrollers(page, 'dialog[open]', 'y')).not.toContain('dialog.dialog dialog-wide dialog-tall')
    expect((await scrollers(page, 'dialog[open]', 'y')).filter((s) => !s.includes('journal-scroll'))).toEqual([])
    await snap(page, `details-journal-1024-${scheme}`)
    await page.keyboard.press('Escape')

    await page.getByRole('button', { name: /^Headroom…/ }).click()
    const headroom = page.getByRole('dialog', { name: 'Rate-limit headroom' })
    await expect(headroom).toBeVisible()
    // The body may scroll; the dialog around it never does as well.
    const scrolling = await scrollers(page, 'dialog[open]', 'y')
    expect(scrolling.filter((s) => s.startsWith('dialog.'))).toEqual([])
    expect(scrolling.length).toBeLessThanOrEqual(1)
    await snap(page, `details-headroom-1024-${scheme}`)
    await page.keyboard.press('Escape')
  }
})

test('notifications refused by the browser are said in words, not by a button that vanishes', async ({ page, harness }) => {
  // The browser's answer to the permission prompt: refused.
  await page.addInitScript(() => {
    let permission: NotificationPermission = 'default'
    Object.defineProperty(Notification, 'permission', { get: () => permission })
    Notification.requestPermission = async () => (permission = 'denied')
  })
  await harness.open(page)
  await addTenantShown(page, harness, 0, { label: 'acme-staging' })
  await page
    .getByRole('button', { name: /^Radar/ })
    .first()
    .click()
  await page.getByRole('button', { name: 'Allow expiry notifications' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Expiry notifications are blocked in this browser' })).toBeVisible()
})

test.describe("with main's clock a little ahead of the page's", () => {
  test.use({ coreOptions: { now: () => Date.now() + 25_000 } })
  test('past events never read in the future tense', async ({ page, harness }) => {
    await harness.open(page)
    await addTenantShown(page, harness, 0, { label: 'acme-staging' })
    await expect(page.getByText(/Synced just now/)).toBeVisible()
    await page
      .getByRole('button', { name: /^Radar/ })
      .first()
      .click()
    await expect(page.getByText(/counted just now/)).toBeVisible()
    await expect(page.getByRole('list', { name: 'Data age per tenant' })).toContainText('as of just now')
    await expect(page.locator('body')).not.toContainText('in a few seconds')
  })
})
