import { addTenantViaUi, expect, snap, test } from './harness/fixtures'

// Issue 12 C3: with no clipboard in main (the web preview), the copy-once dialog copies through
// the browser. When the page may write but not read the clipboard, it must not claim to have
// cleared it. The 30 s wait runs on Playwright's fake clock.
test.use({ coreOptions: { clipboard: undefined }, sandboxOptions: { port: 0, tenants: 1, seedKeys: 5, quiet: true } })

test('the browser would not let KeyDesk read the clipboard: it says it could not check or clear it', async ({ page, harness, context }) => {
  await context.grantPermissions(['clipboard-write'])
  await page.clock.install()
  await harness.open(page)
  await addTenantViaUi(page, harness, 0, { label: 'acme-staging' })
  await page.getByRole('button', { name: 'Create key' }).click()
  const create = page.getByRole('dialog', { name: 'Create API key' })
  await create.getByLabel('Name').fill('kd-e2e-browser-clipboard')
  await create.getByRole('button', { name: 'Evaluate only' }).click()
  await create.getByRole('button', { name: 'Create key' }).click()

  const once = page.getByRole('dialog', { name: 'Copy your new key' })
  await once.getByRole('button', { name: 'Copy key' }).click()
  await expect(once.getByText(/KeyDesk will try to clear the clipboard in \d+ s/)).toBeVisible()
  await page.clock.fastForward(31_000)
  await expect(once.getByText(/could not check or clear the clipboard/)).toBeVisible()
  await expect(once.getByText('Clipboard cleared')).toHaveCount(0)
  await snap(page, 'copy-once-browser-clipboard-unreadable')
})
