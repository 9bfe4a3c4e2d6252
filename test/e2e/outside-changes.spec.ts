import type { Page } from '@playwright/test'
import type { ChannelOutput } from '../../src/shared/contract'
import { check } from './harness/axe'
import { addTenantShown, expect, snap, test, type Harness } from './harness/fixtures'

/**
 * Changes made outside KeyDesk, in Chromium: a key created straight on the sandbox's API with an
 * admin key KeyDesk does not hold (an ops console) is found at the next sync, shown in the radar
 * under "Created outside KeyDesk" with who made it, and acknowledged with a reason, which the
 * journal keeps with who acknowledged it.
 */
test.use({
  sandboxOptions: { port: 0, tenants: 1, seedKeys: 9, quiet: true },
  coreOptions: { operator: () => 'alice' }
})

async function meshqu(h: Harness, key: string, body: unknown) {
  const t = h.sandbox.tenants[0]!
  const res = await fetch(`${h.sandbox.url}/v1/api-keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'x-meshqu-tenant-id': t.id, 'content-type': 'application/json' },
    body: JSON.stringify(body)
  })
  expect(res.status).toBe(201)
  return (await res.json()) as { key: { id: string }; plaintext_key: string }
}

async function openRadar(page: Page) {
  await page.getByRole('button', { name: /^Radar( [\d,]+ findings?)?$/ }).click()
  await expect(page.getByRole('heading', { name: 'Radar', level: 1 })).toBeVisible()
}

test('a key created outside KeyDesk is flagged in the radar at the next sync, then acknowledged with a reason', async ({ page, harness }) => {
  // An admin key KeyDesk does not hold, made before KeyDesk first looks: part of the baseline.
  const opsConsole = await meshqu(harness, harness.sandbox.tenants[0]!.admin_key, { name: 'ops-console', scopes: ['api-keys:admin'] })
  await harness.open(page)
  await addTenantShown(page, harness, 0, { label: 'acme-prod', environment: 'production', level: 'protected' })
  await expect(page.getByText('10 keys')).toBeVisible()

  await openRadar(page)
  const overview = page.getByRole('table', { name: 'Radar findings' })
  // The first sync is the baseline: nothing is flagged.
  await expect(overview.getByRole('button', { name: 'Created outside KeyDesk: 0 keys' })).toBeVisible()

  // Made straight on MeshQu's API by the console, not through KeyDesk; then KeyDesk starts again and syncs.
  await meshqu(harness, opsConsole.plaintext_key, { name: 'script-made-key', scopes: ['decisions:evaluate'] })
  await page.reload()
  await expect(page.getByText('11 keys')).toBeVisible()
  await openRadar(page)
  await overview.getByRole('button', { name: 'Created outside KeyDesk: 1 key' }).click()
  await expect(page.getByRole('heading', { level: 2, name: 'Created outside KeyDesk · 1 key' })).toBeFocused()
  const table = page.getByRole('table', { name: 'Radar keys' })
  const row = table.getByRole('row').filter({ hasText: 'script-made-key' })
  await expect(row).toContainText('Created outside KeyDesk by ops-console')
  await expect(row.getByRole('button', { name: 'Revoke script-made-key in acme-prod' })).toBeEnabled()
  await expect(row.getByRole('button', { name: 'Open script-made-key in acme-prod' })).toBeVisible()
  await snap(page, 'radar-created-outside')
  await check(page, 'Created outside KeyDesk', 'section.radar')

  // Acknowledge: the reason is required; Cancel returns focus to the row's button.
  const ackButton = row.getByRole('button', { name: 'Acknowledge script-made-key in acme-prod' })
  await ackButton.click()
  let dialog = page.getByRole('dialog', { name: 'Acknowledge change in acme-prod' })
  await expect(dialog.getByRole('textbox', { name: /Why is this change expected/ })).toBeFocused()
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await expect(dialog).toBeHidden()
  await expect(ackButton).toBeFocused()

  await page.keyboard.press('Enter')
  dialog = page.getByRole('dialog', { name: 'Acknowledge change in acme-prod' })
  await expect(dialog).toContainText('script-made-key')
  await expect(dialog).toContainText('was created outside KeyDesk by ops-console')
  const confirm = dialog.getByRole('button', { name: 'Acknowledge in acme-prod' })
  await expect(confirm).toBeDisabled()
  await dialog.getByRole('textbox', { name: /Why is this change expected/ }).fill('Made by the deploy pipeline, OPS-42')
  await snap(page, 'radar-acknowledge-dialog')
  await check(page, 'Acknowledge change', 'dialog')
  await confirm.click()
  await expect(dialog).toBeHidden()

  // Gone from the radar; focus is on the list's heading.
  await expect(page.getByRole('heading', { level: 2, name: 'Created outside KeyDesk · 0 keys' })).toBeFocused()
  await expect(page.getByRole('status').filter({ hasText: 'No keys in this category.' })).toBeVisible()

  // The journal keeps who and why.
  const journal = await harness.core.invoke('journal.list', { actions: ['outside.ack'] })
  expect(journal.ok).toBe(true)
  const entries = (journal as { data: ChannelOutput<'journal.list'> }).data.entries
  expect(entries).toEqual([
    expect.objectContaining({
      keyName: 'script-made-key',
      reason: 'Made by the deploy pipeline, OPS-42',
      detail: expect.stringMatching(/^Created outside KeyDesk by ops-console \(.+\); acknowledged by alice\.$/)
    })
  ])
  await page.keyboard.press('j')
  const view = page.getByRole('dialog', { name: 'Journal' })
  await expect(view.getByRole('row').filter({ hasText: 'Made by the deploy pipeline, OPS-42' })).toContainText('Outside change acknowledged')
})
