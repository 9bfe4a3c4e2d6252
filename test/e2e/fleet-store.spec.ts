import { STORE_KEY_ACCOUNT } from '../../src/main/core/store/data-key'
import { KeychainUnavailableError } from '../../src/main/core/tenants/secret-store'
import { addTenantShown, addTenantViaUi, expect, snap, test } from './harness/fixtures'

test.describe('fleet store', () => {
  test.use({ sandboxOptions: { port: 0, tenants: 2, seedKeys: 60, quiet: true } })

  test('cold switch paints from the store, then refreshes from MeshQu; the sidebar shows stored counts', async ({ page, harness }) => {
    await harness.open(page)
    await addTenantViaUi(page, harness, 0, { label: 'acme-staging' })
    await expect(page.getByText('60 keys')).toBeVisible()
    await addTenantShown(page, harness, 1, { label: 'globex-dev', environment: 'development' })
    await expect(page.getByText('60 keys')).toBeVisible()
    const sidebar = page.getByRole('navigation', { name: 'Tenants' })
    await expect(sidebar.getByRole('button', { name: 'acme-staging', exact: true })).toHaveAccessibleDescription(/\d+ active/)

    // A restart: the renderer has loaded nothing yet, and MeshQu answers very slowly, so whatever
    // the window shows before then can only have come from the store.
    await harness.restart()
    harness.sandbox.control.setFaults({ latency_ms: 8000 })
    await page.reload()
    const header = page.locator('.sync-state')
    await expect(header).toContainText('From the fleet store,')
    await expect(page.getByText('60 keys')).toBeVisible()
    await snap(page, 'fleet-cold-start-from-store')
    await sidebar.getByRole('button', { name: 'acme-staging', exact: true }).click()
    // Rows are there while the network list is still on its way.
    await expect(header).toContainText('From the fleet store,')
    await expect(page.getByRole('grid', { name: 'API keys' }).getByRole('row').nth(1)).toBeVisible()
    harness.sandbox.control.setFaults({ latency_ms: 0 })
    await expect(header).toContainText('Synced', { timeout: 30_000 })
  })

  test('search all tenants: ranked, by scope, literal text, and a clear minimum', async ({ page, harness }) => {
    await harness.open(page)
    await addTenantViaUi(page, harness, 0, { label: 'acme-staging' })
    await expect(page.getByText('60 keys')).toBeVisible()
    await addTenantShown(page, harness, 1, { label: 'globex-dev', environment: 'development' })
    await expect(page.getByText('60 keys')).toBeVisible()
    const row = page.getByRole('grid', { name: 'API keys' }).getByRole('row').nth(1)
    const preview = (await row.getByRole('gridcell').nth(2).textContent())!.trim()

    await page.getByRole('button', { name: 'Search all tenants' }).click()
    const dialog = page.getByRole('dialog', { name: 'Search all tenants' })
    const box = dialog.getByRole('searchbox', { name: 'Search all tenants' })
    await box.fill('a')
    await expect(dialog.getByText('Type at least 2 characters.')).toBeVisible()
    await box.fill(preview)
    const matches = dialog.getByRole('table', { name: 'Matches across tenants' })
    await expect(matches.getByRole('row').nth(1)).toContainText('globex-dev')
    await expect(matches.getByRole('row').nth(1)).toContainText('exact match')

    // FTS syntax is searched as text: no error, just (probably) no matches.
    for (const text of ['"unbalanced', 'NEAR(a', 'name:x', '-*']) {
      await box.fill(text)
      await expect(dialog.getByRole('status')).toContainText(/match/)
      await expect(dialog.getByRole('alert')).toHaveCount(0)
    }

    // A scope alone is a question: which keys can administer keys, across the fleet?
    await box.fill('')
    await dialog.getByLabel('Holding scope').selectOption('api-keys:admin')
    await expect(matches.getByRole('row').nth(1)).toBeVisible()
    await expect(matches).toContainText('acme-staging')
    await expect(matches).toContainText('globex-dev')
    await snap(page, 'fleet-search-by-scope')
  })

  test('a locked keychain keeps the store closed, says why, and Retry opens it once unlocked', async ({ page, harness }) => {
    let locked = true
    const secretStore = {
      ...harness.secrets,
      get: async (account: string) => {
        if (account === STORE_KEY_ACCOUNT && locked) throw new KeychainUnavailableError('The keychain is locked. Unlock it, then choose Retry.')
        return harness.secrets.get(account)
      }
    }
    await harness.restart({ secretStore })
    await harness.open(page)
    await addTenantViaUi(page, harness, 0, { label: 'acme-staging' })
    await expect(page.getByText('60 keys')).toBeVisible()
    const notice = page.getByRole('alert').filter({ hasText: 'The fleet store is closed.' })
    await page.reload()
    await expect(notice).toContainText('The keychain is locked')
    await snap(page, 'fleet-store-locked')
    locked = false
    await notice.getByRole('button', { name: 'Retry' }).click()
    await expect(notice).toHaveCount(0)
  })

  test('a store its key cannot open is kept and refused; "Start a new store" sets it aside, said until acknowledged', async ({ page, harness }) => {
    await harness.open(page)
    await addTenantShown(page, harness, 0, { label: 'acme-staging' })
    await expect(page.getByText('60 keys')).toBeVisible()
    // The store's key is gone from the keychain: a new key cannot open the file, which is kept as
    // it is, and the store refuses it until the operator chooses.
    expect(await harness.secrets.delete(STORE_KEY_ACCOUNT)).toBe(true)
    await harness.restart()
    await page.reload()
    const heading = page.getByRole('heading', { level: 1, name: 'acme-staging' })
    await expect(heading).toBeVisible()
    const refused = page.getByRole('alert').filter({ hasText: 'cannot be opened with the key' })
    await expect(refused).toBeVisible()
    await snap(page, 'fleet-store-refused')
    await refused.getByRole('button', { name: 'Start a new store…' }).click()
    await refused.getByRole('button', { name: 'Set it aside and start a new store' }).click()
    await expect(refused).toHaveCount(0)
    const incident = page.getByRole('alert').filter({ hasText: 'A fleet store was set aside.' })
    await expect(incident).toContainText('set aside as')
    await snap(page, 'fleet-store-set-aside')
    // Said again after a restart, until acknowledged.
    await harness.restart()
    await page.reload()
    await expect(heading).toBeVisible()
    await expect(incident).toBeVisible()
    await incident.getByRole('button', { name: 'Acknowledge' }).click()
    await expect(incident).toHaveCount(0)
  })
})

test.describe('cold switch, first rows first', () => {
  test.use({ sandboxOptions: { port: 0, tenants: 2, seedKeys: 300, quiet: true } })

  test("paints the fleet store's first rows with its size and a loading status, then the whole list in the same order", async ({ page, harness }) => {
    await harness.open(page)
    await addTenantViaUi(page, harness, 0, { label: 'acme-staging' })
    await expect(page.getByText('300 keys')).toBeVisible()
    await addTenantShown(page, harness, 1, { label: 'globex-dev', environment: 'development' })
    await expect(page.getByText('300 keys')).toBeVisible()

    // A restart: the renderer has loaded nothing, MeshQu answers very slowly, and the whole stored
    // list is held back until the test lets it go (a large list's transfer, made as long as needed):
    // what shows meanwhile can only be the first rows from the store.
    const core = await harness.restart()
    harness.sandbox.control.setFaults({ latency_ms: 8000 })
    let release!: () => void
    const held = new Promise<void>((r) => (release = r))
    const invoke = core.invoke.bind(core)
    core.invoke = async (channel, payload) => {
      if (channel === 'keys.fromStore') await held
      return invoke(channel, payload)
    }
    await page.reload()
    await page.getByRole('navigation', { name: 'Tenants' }).getByRole('button', { name: 'acme-staging', exact: true }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'acme-staging' })).toBeVisible()

    const grid = page.getByRole('grid', { name: 'API keys' })
    const rest = page.getByRole('status').filter({ hasText: 'loading the rest' })
    const firstIds = () =>
      grid.locator('[role="row"][data-key-id]').evaluateAll((rows) => rows.slice(0, 12).map((r) => r.getAttribute('data-key-id')))
    await expect(rest).toHaveText('First 100 shown; loading the rest…')
    await expect(page.getByText('300 keys')).toBeVisible()
    await expect(grid).toHaveAttribute('aria-rowcount', '301')
    await expect(grid.getByRole('row').nth(1)).toBeVisible()
    // Its names unchanged; what acts on the whole list waits for it.
    await expect(page.getByRole('searchbox', { name: 'Search keys' })).toBeVisible()
    await expect(grid.getByRole('checkbox', { name: 'Select all keys in this view' })).toBeDisabled()
    await expect(grid.getByRole('button', { name: 'Name' })).toBeDisabled()
    await expect(page.getByRole('button', { name: 'Export CSV' })).toBeDisabled()
    const headIds = await firstIds()
    expect(headIds.length).toBeGreaterThan(5)
    await snap(page, 'fleet-cold-switch-first-rows')

    release()
    await expect(rest).toHaveCount(0)
    await expect(page.getByText('300 keys')).toBeVisible()
    // The whole list, sorted by the view, starts with exactly the rows painted first.
    expect(await firstIds()).toEqual(headIds)
    await expect(grid.getByRole('checkbox', { name: 'Select all keys in this view' })).toBeEnabled()
    await expect(grid.getByRole('button', { name: 'Name' })).toBeEnabled()
    harness.sandbox.control.setFaults({ latency_ms: 0 })
    await expect(page.locator('.sync-state')).toContainText('Synced', { timeout: 30_000 })
  })
})
