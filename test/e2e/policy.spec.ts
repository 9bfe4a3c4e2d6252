import type { Page } from '@playwright/test'
import type { RadarSummary } from '../../src/shared/contract'
import type { JournalEntry } from '../../src/shared/journal'
import { DEFAULT_POLICY, type FleetPolicy } from '../../src/shared/policy'
import { check } from './harness/axe'
import { addTenantShown, expect, snap, test, type Harness } from './harness/fixtures'

/**
 * The fleet policy end to end in Chromium: the create form shows production's limits, main
 * refuses a key outside them with the rule on the field, a waiver lets it through (journaled),
 * the radar counts "Outside policy" with the rule and each tenant's compliance, the waived key
 * comes back as a finding once the waiver lapses, and a policy file is imported after a preview.
 * The core's clock is shifted (not waited on) to let a waiver lapse.
 */
const clock = { shift: 0 }
test.use({
  sandboxOptions: { port: 0, tenants: 2, seedKeys: 12, quiet: true },
  coreOptions: { now: () => Date.now() + clock.shift }
})
test.beforeEach(() => {
  clock.shift = 0
})

async function call<T>(harness: Harness, channel: string, payload: unknown = {}): Promise<T> {
  const reply = await harness.core.invoke(channel, payload)
  if (!reply.ok) throw new Error(reply.error.message)
  return reply.data as T
}
const prodTenant = async (harness: Harness) => (await call<RadarSummary>(harness, 'radar.summary')).tenants.find((t) => t.label === 'acme-prod')!

async function openProd(page: Page, harness: Harness) {
  await harness.open(page)
  await addTenantShown(page, harness, 0, { label: 'acme-prod', environment: 'production', level: 'protected' })
  await expect(page.getByText('12 keys')).toBeVisible()
}

async function openRadar(page: Page) {
  await page.getByRole('button', { name: /^Radar( [\d,]+ findings?)?$/ }).click()
  await expect(page.getByRole('heading', { name: 'Radar', level: 1 })).toBeVisible()
}

test('a create refused by policy names the rule on its field; a waiver lets it through; the radar counts it once the waiver lapses', async ({
  page,
  harness
}) => {
  await openProd(page, harness)
  await page.getByRole('button', { name: 'Create key' }).click()
  const create = page.getByRole('dialog', { name: 'Create API key' })
  // The limits show before anything is typed.
  await expect(create.getByText('Production policy: expires within 90 days; api-keys:admin and audit:admin forbidden.')).toBeVisible()
  await create.getByLabel('Name').fill('kd-e2e-migration-bot')
  await create.getByRole('button', { name: 'Evaluate only' }).click()
  await create.getByLabel('api-keys:admin').check()
  await create.getByRole('button', { name: 'Create key in acme-prod' }).click()

  // Main refused it; the rule is in the scopes field's message, and the waiver is offered.
  const scopes = create.getByRole('group', { name: 'Scopes' })
  await expect(scopes).toHaveAttribute('aria-invalid', 'true')
  await expect(scopes.locator('.field-error')).toHaveText(
    'Production policy: api-keys:admin is forbidden. Outside policy (forbidden-scope): add a waiver to create it anyway.'
  )
  await expect(create.getByLabel('Allow outside policy with a waiver')).toBeChecked()
  expect(
    (await call<{ keys: { name: string }[] }>(harness, 'keys.listAll', { tenant: (await prodTenant(harness)).id })).keys.map((k) => k.name)
  ).not.toContain('kd-e2e-migration-bot')
  await snap(page, 'policy-create-refused')

  // Without a reason the waiver is not sent.
  await create.getByRole('button', { name: 'Create key in acme-prod' }).click()
  await expect(create.getByText('Say why this key may break the policy.')).toBeVisible()
  await create.getByLabel('Waiver reason').fill('one-off data migration')
  await create.getByLabel('Waiver lasts').selectOption({ label: '7 days' })
  await create.getByRole('button', { name: 'Create key in acme-prod' }).click()
  const once = page.getByRole('dialog', { name: 'Copy your new key' })
  await expect(once).toBeVisible()
  await once.getByLabel('I have stored this key').check()
  await once.getByRole('button', { name: 'Done' }).click()

  const prod = await prodTenant(harness)
  const journal = (await call<{ entries: JournalEntry[] }>(harness, 'journal.list', { tenant: prod.id })).entries
  expect(journal.find((e) => e.action === 'policy.waiver')).toMatchObject({ keyName: 'kd-e2e-migration-bot', reason: 'one-off data migration' })

  // The radar: "Outside policy" counts each breaking key with its rule; the waived key is not one while the waiver runs.
  await openRadar(page)
  const during = (await prodTenant(harness)).counts['outside-policy']
  const row = page.getByRole('button', { name: new RegExp(`^Outside policy: ${during} keys?$`) })
  await expect(row).toBeVisible()
  await expect(page.getByRole('list', { name: 'Data age per tenant' })).toContainText(
    `policy ${prod.compliance.within} / ${prod.compliance.live} live keys within`
  )
  await row.click()
  const keys = page.getByRole('table', { name: 'Radar keys' })
  // The seeded keys include some without an expiry or longer than 90 days: each row says which rule.
  expect(during).toBeGreaterThan(0)
  await expect(keys.getByRole('row').nth(1)).toContainText(/Outside policy \((no expiry|expiry beyond the maximum|forbidden scope)/)
  await expect(keys).not.toContainText('kd-e2e-migration-bot')

  // Eight days later the waiver has lapsed: the key is outside policy again, with its rule (other
  // keys may have expired meanwhile, so the count is main's as of then).
  clock.shift = 8 * 86_400_000
  await page.reload()
  await openRadar(page)
  const lapsed = (
    await call<{ items: { key: { name: string } | null }[] }>(harness, 'radar.keys', { category: 'outside-policy', tenants: [prod.id] })
  ).items
  expect(lapsed.map((i) => i.key?.name)).toContain('kd-e2e-migration-bot')
  await page.getByRole('button', { name: new RegExp(`^Outside policy: ${(await prodTenant(harness)).counts['outside-policy']} keys?$`) }).click()
  await expect(page.getByRole('table', { name: 'Radar keys' }).getByRole('row').filter({ hasText: 'kd-e2e-migration-bot' })).toContainText(
    'Outside policy (forbidden scope)'
  )
  await snap(page, 'policy-radar-outside')
})

test('Radar settings → Policy: a policy file is previewed before it applies; a bad file changes nothing', async ({ page, harness }) => {
  await openProd(page, harness)
  await openRadar(page)
  await page.getByRole('button', { name: 'Radar settings…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Radar settings' })
  await dialog.getByRole('tab', { name: 'Thresholds' }).press('ArrowRight')
  await expect(dialog.getByRole('tab', { name: 'Policy' })).toBeFocused()
  await expect(dialog.getByRole('tab', { name: 'Policy' })).toHaveAttribute('aria-selected', 'true')
  await expect(dialog.getByRole('spinbutton', { name: 'Maximum expiry (days)' })).toHaveValue('90')
  await expect(dialog.getByRole('checkbox', { name: 'Expiry required' })).toBeChecked()

  // A file that is not a policy: said clearly, and nothing changes.
  const file = dialog.getByLabel('Import policy file')
  await file.setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"something-else"}') })
  await expect(dialog.getByRole('alert')).toContainText('This policy file cannot be imported')
  expect(await call<FleetPolicy>(harness, 'policy.get')).toEqual(DEFAULT_POLICY)

  // Another KeyDesk's policy: staging keys expire within 30 days, presets only.
  const other: FleetPolicy = { ...DEFAULT_POLICY, staging: { ...DEFAULT_POLICY.staging, maxExpiryDays: 30, allowedPresets: ['evaluate', 'monitor'] } }
  const text = JSON.stringify({ format: 'keydesk-policy', version: 1, policy: other })
  await file.setInputFiles({ name: 'fleet-policy.json', mimeType: 'application/json', buffer: Buffer.from(text) })
  const preview = dialog.getByRole('region', { name: 'Import preview' })
  await expect(preview).toContainText('Importing fleet-policy.json changes these 2 rules')
  await expect(preview.getByRole('row', { name: /Maximum expiry no maximum 30 days/ })).toBeVisible()
  await expect(preview.getByRole('row', { name: /Allowed presets any scopes Evaluate only, Read-only monitoring/ })).toBeVisible()
  // Nothing applied yet.
  expect(await call<FleetPolicy>(harness, 'policy.get')).toEqual(DEFAULT_POLICY)
  await snap(page, 'policy-import-preview')
  await preview.getByRole('button', { name: 'Apply import' }).click()
  await expect(dialog).toBeHidden()
  expect(await call<FleetPolicy>(harness, 'policy.get')).toEqual(other)
  const fleet = (await call<{ entries: JournalEntry[] }>(harness, 'journal.list', { actions: ['policy.set'] })).entries
  expect(fleet[0]!.detail).toMatch(/^Policy imported: staging maxExpiryDays no maximum → 30 days/)
})

/** axe on the open dialog at both sizes, light and dark; and at 1024 px nothing in it scrolls sideways. */
async function checkScreen(page: Page, screen: string) {
  await check(page, screen)
  await page.setViewportSize({ width: 1024, height: 700 })
  const sideways = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('[role="dialog"], [role="dialog"] *')].some(
      (el) => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible'
    )
  )
  expect(sideways, `${screen} scrolls sideways`).toBe(false)
}

test('Radar settings → Policy: a bad maximum is told on its field; a change is saved, journaled, and shown in the create form', async ({
  page,
  harness
}) => {
  await openProd(page, harness)
  await openRadar(page)
  await page.getByRole('button', { name: 'Radar settings…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Radar settings' })
  await dialog.getByRole('tab', { name: 'Policy' }).click()
  await checkScreen(page, 'radar settings, policy')
  const max = dialog.getByRole('spinbutton', { name: 'Maximum expiry (days)' })
  await max.fill('0')
  await dialog.getByRole('button', { name: 'Save policy' }).click()
  await expect(max).toHaveAttribute('aria-invalid', 'true')
  await expect(dialog.getByText('Type at least 1 day')).toBeVisible()
  expect(await call<FleetPolicy>(harness, 'policy.get')).toEqual(DEFAULT_POLICY)
  await max.fill('30')
  await dialog.getByRole('group', { name: 'Forbidden scopes' }).getByRole('checkbox', { name: 'audit:admin' }).uncheck()
  await dialog.getByRole('button', { name: 'Save policy' }).click()
  await expect(dialog).toBeHidden()
  const saved = await call<FleetPolicy>(harness, 'policy.get')
  expect(saved.production).toEqual({ maxExpiryDays: 30, expiryRequired: true, forbiddenScopes: ['api-keys:admin'], allowedPresets: null })
  const fleet = (await call<{ entries: JournalEntry[] }>(harness, 'journal.list', { actions: ['policy.set'] })).entries
  expect(fleet[0]!.detail).toBe(
    'Policy changed: production maxExpiryDays 90 days → 30 days; production forbiddenScopes audit:admin, api-keys:admin → api-keys:admin.'
  )

  // The create form shows the new limits before anything is typed; the waiver fields pass axe too.
  await page.getByRole('navigation', { name: 'Tenants' }).getByRole('button', { name: 'acme-prod', exact: true }).click()
  await page.getByRole('button', { name: 'Create key' }).click()
  const create = page.getByRole('dialog', { name: 'Create API key' })
  await expect(create.getByText('Production policy: expires within 30 days; api-keys:admin forbidden.')).toBeVisible()
  await create.getByLabel('Allow outside policy with a waiver').check()
  await checkScreen(page, 'create key with a waiver')
})

test('a rotation outside policy is refused by main with the rule on the expiry field; nothing is created until a waiver is given', async ({
  page,
  harness
}) => {
  await openProd(page, harness)
  const prod = await prodTenant(harness)
  const names = async () => (await call<{ keys: { name: string }[] }>(harness, 'keys.listAll', { tenant: prod.id })).keys.map((k) => k.name)
  const before = await names()
  const table = page.getByRole('grid', { name: 'API keys' })
  await page.getByRole('button', { name: /^Active \d+$/ }).click()
  await table.getByRole('row').nth(2).click()
  await page
    .getByRole('complementary', { name: /^Details of / })
    .getByRole('button', { name: 'Rotate key' })
    .click()
  const rotate = page.getByRole('dialog', { name: /^Rotate API key in acme-prod/ })
  await rotate.getByRole('radio', { name: 'Never' }).check()
  await rotate.getByRole('button', { name: 'Rotate key in acme-prod' }).click()
  // Main refused it: production requires an expiry. The rule is on the expiry field and the waiver is offered.
  const expiry = rotate.getByRole('group', { name: 'Expires' })
  await expect(expiry.locator('.field-error')).toContainText('Outside policy (expiry-required): add a waiver to create it anyway.')
  await expect(rotate.getByLabel('Allow outside policy with a waiver')).toBeChecked()
  expect(await names()).toEqual(before)
  await snap(page, 'policy-rotate-refused')
  await checkScreen(page, 'rotate refused by policy')

  await rotate.getByLabel('Waiver reason').fill('legacy batch job, replaced next quarter')
  await rotate.getByRole('button', { name: 'Rotate key in acme-prod' }).click()
  const once = page.getByRole('dialog', { name: 'Copy your new key' })
  await expect(once).toBeVisible()
  expect((await names()).length).toBe(before.length + 1)
  const journal = (await call<{ entries: JournalEntry[] }>(harness, 'journal.list', { tenant: prod.id })).entries
  expect(journal.find((e) => e.action === 'policy.waiver')).toMatchObject({ reason: 'legacy batch job, replaced next quarter' })
})
