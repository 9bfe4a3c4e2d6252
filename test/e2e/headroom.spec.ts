import { addTenantViaUi, expect, snap, test } from './harness/fixtures'

// Turned-down limits: 20 requests per 5 s window.
test.use({ sandboxOptions: { port: 0, tenants: 1, seedKeys: 30, rateLimit: 20, windowSeconds: 5, quiet: true } })

test.describe('the meter', () => {
  // A minute-long window: a 5 s window could reset between two readings and refill the meter.
  test.use({ sandboxOptions: { port: 0, tenants: 1, seedKeys: 30, rateLimit: 20, windowSeconds: 60, quiet: true } })

  test('the meter moves as keys are listed', async ({ page, harness }) => {
    await harness.open(page)
    await addTenantViaUi(page, harness, 0, { label: 'paced' })
    const meter = page.getByRole('meter', { name: 'Rate-limit headroom' })
    await expect(meter).toHaveAttribute('aria-valuemax', '20')
    const before = Number(await meter.getAttribute('aria-valuenow'))
    for (let i = 0; i < 3; i++) await harness.core.invoke('keys.list', { tenant: (await activeId(harness))!, limit: 1 })
    await expect.poll(async () => Number(await meter.getAttribute('aria-valuenow'))).toBeLessThan(before)
    await snap(page, 'headroom-meter')
    await page.getByRole('button', { name: 'Headroom… open the headroom panel' }).click()
    const panel = page.getByRole('dialog', { name: 'Rate-limit headroom' })
    await expect(panel).toBeVisible()
    await expect(panel.getByText(/Each probe costs one request/)).toBeVisible()
    await snap(page, 'headroom-panel')
  })
})

test('a bulk revoke of more keys than the window allows waits for the window instead of failing', async ({ page, harness }) => {
  await harness.open(page)
  await addTenantViaUi(page, harness, 0, { label: 'paced' })
  const table = page.getByRole('grid', { name: 'API keys' })
  await page.getByRole('button', { name: /^Active \d+$/ }).click()
  await table.getByRole('checkbox', { name: 'Select all keys in this view' }).check()
  const button = page.getByRole('button', { name: /^Revoke selected \(\d+\)$/ })
  const n = Number((await button.textContent())!.match(/\d+/)![0])
  expect(n).toBeGreaterThan(15)
  await button.click()
  const dialog = page.getByRole('dialog', { name: 'Revoke selected keys' })
  await dialog.getByLabel('Type the number of keys to confirm').fill(String(n))
  await dialog.getByRole('button', { name: `Revoke ${n} keys` }).click()
  await expect(dialog.getByText(/Waiting for the rate-limit window \(\d+ s\)/)).toBeVisible({ timeout: 15_000 })
  await snap(page, 'headroom-bulk-waiting')
  // Closing the dialog mid-job: the job goes on and the table keeps following it.
  await dialog.getByRole('button', { name: 'Close' }).last().click()
  await expect(dialog).toBeHidden()
  // Only KeyDesk's own admin key (never bulk-revoked) stays active.
  await expect(page.getByRole('button', { name: /^Active 1$/ })).toBeVisible({ timeout: 30_000 })
})

test('a forced 429 shows the banner with a countdown and recovers by itself', async ({ page, harness }) => {
  await harness.open(page)
  await addTenantViaUi(page, harness, 0, { label: 'paced' })
  await expect(page.getByText('30 keys')).toBeVisible()
  harness.sandbox.control.setFaults({ rate_limit_storm: { count: 1, retry_after_seconds: 3 } })
  const r = await harness.core.invoke('keys.list', { tenant: (await activeId(harness))!, limit: 1 })
  expect(r).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', retryAfterMs: 3000 } })
  const banner = page.getByRole('alert').filter({ hasText: /rate limit for paced was reached \(429\)/ })
  await expect(banner).toBeVisible()
  await expect(banner).toContainText(/for \d s/)
  await snap(page, 'headroom-429')
  await expect(banner).toBeHidden({ timeout: 10_000 })
  const again = await harness.core.invoke('keys.list', { tenant: (await activeId(harness))!, limit: 1 })
  expect(again.ok).toBe(true)
})

async function activeId(h: { core: { invoke: (c: string, p: unknown) => Promise<unknown> } }) {
  const r = (await h.core.invoke('tenants.list', {})) as { ok: boolean; data: { activeId: string | null } }
  return r.data.activeId
}
