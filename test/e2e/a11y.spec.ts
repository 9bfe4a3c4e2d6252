import { check } from './harness/axe'
import { addTenantShown, addTenantViaUi, expect, snap, test } from './harness/fixtures'

test.use({
  sandboxOptions: { port: 0, tenants: 2, seedKeys: 60, quiet: true }
})

test('axe: 0 critical and 0 serious violations on every screen and dialog, at 1024×700 and 1280×800, light and dark', async ({ page, harness }) => {
  // Nineteen screens, each checked at two sizes in light and dark: minutes of work on a 2-core machine.
  test.setTimeout(1_200_000)
  await harness.open(page)
  await expect(page.getByRole('heading', { name: 'Welcome to KeyDesk' })).toBeVisible()
  await check(page, 'first run')

  await addTenantViaUi(page, harness, 0, { label: 'acme-staging' })
  await expect(page.getByText('60 keys')).toBeVisible()
  await addTenantShown(page, harness, 1, { label: 'globex-prod', environment: 'production', level: 'protected' })
  await expect(page.getByText('60 keys')).toBeVisible()
  await page.getByRole('navigation', { name: 'Tenants' }).getByRole('button', { name: 'acme-staging', exact: true }).click()
  const grid = page.getByRole('grid', { name: 'API keys' })
  await expect(grid.getByRole('row').nth(3)).toBeVisible()
  // A selected row and a ticked box: chips on the selected background are checked too.
  // The sandbox seeds revoked and expired keys at random places, and their boxes are
  // disabled, so the first box that can be ticked is the one used.
  const box = grid.getByRole('checkbox', { name: /^Select (?!all)/, disabled: false }).first()
  const boxName = await box.getAttribute('aria-label')
  expect(boxName).toBeTruthy()
  await box.click()
  await check(page, 'keys screen')

  await grid
    .getByRole('row')
    .filter({ has: page.getByRole('checkbox', { name: boxName!, exact: true }) })
    .click()
  const detail = page.getByRole('complementary', { name: /^Details of / })
  await expect(detail).toBeVisible()
  await check(page, 'detail panel')

  await detail.getByRole('button', { name: 'Rotate key' }).click()
  const rotate = page.getByRole('dialog', { name: 'Rotate API key' })
  await expect(rotate).toBeVisible()
  await check(page, 'rotate')
  await page.keyboard.press('Escape')
  await expect(rotate).toBeHidden()

  await grid.focus()
  await page.keyboard.press('Delete')
  const revoke = page.getByRole('dialog', { name: 'Revoke API key' })
  await expect(revoke).toBeVisible()
  await check(page, 'revoke')
  await page.keyboard.press('Escape')
  await expect(revoke).toBeHidden()

  await page.getByRole('button', { name: /^Revoke selected/ }).click()
  const bulk = page.getByRole('dialog', { name: 'Revoke selected keys' })
  await expect(bulk).toBeVisible()
  await check(page, 'bulk revoke')
  await page.keyboard.press('Escape')
  await expect(bulk).toBeHidden()

  await page.getByRole('button', { name: 'Create key' }).click()
  const create = page.getByRole('dialog', { name: 'Create API key' })
  await check(page, 'create')
  await create.getByLabel('Name').fill('kd-a11y-key')
  await create.getByRole('button', { name: 'Evaluate only' }).click()
  await create.getByRole('button', { name: 'Create key' }).click()
  const once = page.getByRole('dialog', { name: 'Copy your new key' })
  await expect(once)
    .toBeVisible()
    .catch(async (e) => {
      await snap(page, 'a11y-create-stuck')
      throw e
    })
  await check(page, 'copy-once')
  await once.getByLabel('I have stored this key').check()
  await once.getByRole('button', { name: 'Done' }).click()
  await expect(once).toBeHidden()

  await page.getByRole('button', { name: /^Headroom…/ }).click()
  const headroom = page.getByRole('dialog', { name: 'Rate-limit headroom' })
  await expect(headroom).toBeVisible()
  await check(page, 'headroom')
  await page.keyboard.press('Escape')

  await page.getByRole('button', { name: 'Search all tenants' }).click()
  const search = page.getByRole('dialog', { name: 'Search all tenants' })
  await search.getByRole('searchbox', { name: 'Search all tenants' }).fill('a')
  await check(page, 'search all')
  // Esc closes Search all at once (it does not stop to clear the field first).
  await page.keyboard.press('Escape')
  await expect(search).toBeHidden()

  await page.getByRole('button', { name: 'Journal', exact: true }).click()
  const journal = page.getByRole('dialog', { name: 'Journal' })
  await expect(journal.getByRole('table', { name: 'Journal' })).toBeVisible()
  await check(page, 'journal')
  await page.keyboard.press('Escape')
  await expect(journal).toBeHidden()

  await page.getByRole('button', { name: 'Tenant settings' }).click()
  await expect(page.getByRole('dialog', { name: 'Tenant settings' })).toBeVisible()
  await check(page, 'edit tenant')
  await page.keyboard.press('Escape')

  await page.getByRole('navigation', { name: 'Tenants' }).getByRole('button', { name: 'Add tenant' }).click()
  await expect(page.getByRole('dialog', { name: 'Add tenant' })).toBeVisible()
  await check(page, 'add tenant')
  await page.keyboard.press('Escape')

  await page.keyboard.press('Control+k')
  await expect(page.getByRole('dialog', { name: 'Switch tenant' })).toBeVisible()
  await check(page, 'quick switcher')
  await page.keyboard.press('Escape')

  // The production tenant's frame (red stripe, PRODUCTION marker).
  await page.getByRole('navigation', { name: 'Tenants' }).getByRole('button', { name: 'globex-prod', exact: true }).click()
  await expect(grid.getByRole('row').nth(3)).toBeVisible()
  await check(page, 'production keys screen')

  // The radar, with a scheduled revoke in its list (from a key's detail panel), and its settings.
  await grid
    .getByRole('row')
    .filter({ has: page.getByRole('checkbox', { name: /^Select (?!all)/, disabled: false }) })
    .first()
    .click()
  const schedule = detail.getByRole('region', { name: 'Scheduled revoke' })
  await schedule.getByRole('button', { name: 'Schedule a revoke' }).click()
  await schedule.getByRole('combobox', { name: 'When to revoke' }).selectOption({ label: 'In 24 hours' })
  await schedule.getByRole('button', { name: 'Schedule revoke' }).click()
  await expect(schedule.getByRole('status')).toContainText('Revokes in')
  await page.getByRole('button', { name: /^Radar( [\d,]+ findings?)?$/ }).click()
  await expect(page.getByRole('table', { name: 'Scheduled revokes' }).getByRole('row')).toHaveCount(2)
  await check(page, 'radar')
  await page.getByRole('button', { name: /^No expiry: [1-9]/ }).click()
  await expect(page.getByRole('table', { name: 'Radar keys' }).getByRole('row').nth(1)).toBeVisible()
  await check(page, 'radar drill-down')
  await page.getByRole('button', { name: '← All findings' }).click()
  await page.getByRole('button', { name: 'Radar settings…' }).click()
  await expect(page.getByRole('dialog', { name: 'Radar settings' }).getByRole('switch').first()).toBeVisible()
  await check(page, 'radar settings')
  await page.keyboard.press('Escape')
  await expect(page.getByRole('dialog', { name: 'Radar settings' })).toBeHidden()
})
