import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import type { ApiKey } from '../../src/shared/meshqu'
import type { JournalEntry } from '../../src/shared/journal'
import { check } from './harness/axe'
import { addTenantShown, expect, rendererHeap, snap, test, type Harness } from './harness/fixtures'

/**
 * "Whose key is this?" in Chromium over the real core and a real sandbox: opened by `w`, from the
 * radar and from Search all (a pasted whole key there is offered to triage, not searched); a log
 * excerpt with a key KeyDesk made (exact) and one made straight on the sandbox (possible); junk;
 * Check validity; Contain with a replacement through the copy-once dialog; a folder scan by typed
 * path (the web preview has no OS dialog). The pasted keys are never left in the page or its heap.
 */
test.use({ sandboxOptions: { port: 0, tenants: 1, seedKeys: 5, quiet: true } })

async function call<T>(harness: Harness, channel: string, payload: unknown = undefined): Promise<T> {
  const reply = await harness.core.invoke(channel, payload)
  if (!reply.ok) throw new Error(reply.error.message)
  return reply.data as T
}

/** A key made straight at the sandbox: KeyDesk never saw its plaintext. */
async function outsideKey(h: Harness, name: string) {
  const t = h.sandbox.tenants[0]!
  const res = await fetch(`${h.sandbox.url}/v1/api-keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${t.admin_key}`, 'x-meshqu-tenant-id': t.id, 'content-type': 'application/json' },
    body: JSON.stringify({ name, scopes: ['alerts:read'] })
  })
  return (await res.json()) as { key: ApiKey; plaintext_key: string }
}

async function setUp(page: Page, harness: Harness) {
  const outside = await outsideKey(harness, 'made-elsewhere')
  await harness.open(page)
  await addTenantShown(page, harness, 0, { label: 'acme-staging', environment: 'staging' })
  const tenant = (await call<{ tenants: { id: string }[] }>(harness, 'tenants.list')).tenants[0]!.id
  const created = await call<{ key: ApiKey; revealId: string }>(harness, 'keys.create', {
    tenant,
    key: { name: 'billing-worker', scopes: ['decisions:evaluate', 'api-keys:admin'] }
  })
  const { plaintext } = await call<{ plaintext: string }>(harness, 'secrets.reveal', { revealId: created.revealId })
  await call(harness, 'secrets.discard', { revealId: created.revealId })
  return { tenant, mine: { key: created.key, plaintext }, outside: { key: outside.key, plaintext: outside.plaintext_key } }
}

test('paste a log excerpt: exact and possible matches, check, contain with a replacement; nothing of the keys stays in the page', async ({
  page,
  harness
}) => {
  test.setTimeout(180_000)
  const { mine, outside } = await setUp(page, harness)
  // `w` opens it (not while typing, not over another dialog).
  await page.getByRole('grid', { name: 'API keys' }).focus()
  await page.keyboard.press('w')
  const dialog = page.getByRole('dialog', { name: 'Whose key is this?' })
  await expect(dialog).toBeVisible()
  const field = dialog.getByLabel('Key or text')
  await expect(field).toBeFocused()
  await field.fill(`INFO boot\nDEBUG MESHQU_KEY=${mine.plaintext}\ncurl -H "Authorization: Bearer ${outside.plaintext}"`)
  await dialog.getByRole('button', { name: 'Find' }).click()
  await expect(dialog.getByRole('heading', { name: '2 keys found' })).toBeVisible()
  // Cleared as soon as main had it.
  await expect(field).toHaveValue('')

  const exact = dialog.getByRole('article', { name: mine.key.key_preview })
  await expect(exact.getByText('Exact match')).toBeVisible()
  const match = exact.getByRole('region', { name: 'billing-worker in acme-staging' })
  await expect(match.getByText('api-keys:admin (privileged)')).toBeVisible()
  const possible = dialog.getByRole('article', { name: outside.key.key_preview })
  await expect(possible.getByText(/^Possible: 1 key shares this preview/)).toBeVisible()
  await expect(possible.getByRole('region', { name: 'made-elsewhere in acme-staging' })).toBeVisible()
  await snap(page, 'triage-results')
  await check(page, 'triage results')

  // Check validity: one request with the leaked key; valid while live.
  await match.getByRole('button', { name: 'Check validity of billing-worker in acme-staging' }).click()
  await expect(match.getByRole('status').filter({ hasText: /^Valid\./ })).toBeVisible()

  // Contain: where it was found, the typed name, a replacement shown once.
  await match.getByRole('button', { name: 'Contain billing-worker in acme-staging' }).click()
  const form = match.getByRole('form', { name: 'Contain billing-worker in acme-staging' })
  await form.getByLabel('Where was it found?').fill('public GitHub repository')
  await form.getByLabel('Type the key name to confirm').fill('billing-worker')
  await check(page, 'triage contain form')
  await form.getByRole('button', { name: 'Contain: revoke billing-worker in acme-staging' }).click()
  const once = page.getByRole('dialog', { name: 'Copy your new key' })
  await expect(once).toBeVisible()
  await once.getByLabel('I have stored this key').check()
  await once.getByRole('button', { name: 'Done' }).click()
  await expect(dialog.getByText(/^Contained: billing-worker was revoked and replaced by billing-worker/)).toBeVisible()
  await expect(dialog.getByText(/MeshQu now rejects it/)).toBeVisible()
  const incidents = (await call<{ entries: JournalEntry[] }>(harness, 'journal.list', { actions: ['leak.contain'] })).entries
  expect(incidents).toHaveLength(1)
  expect(incidents[0]!.detail).toMatch(/First seen rejected/)

  // Junk.
  await dialog.getByLabel('Key or text').fill('sk_live_nothing and a uuid')
  await dialog.getByRole('button', { name: 'Find' }).click()
  await expect(dialog.getByRole('heading', { name: 'Not a MeshQu key' })).toBeVisible()
  await dialog.getByRole('button', { name: /close/i }).first().click()
  await expect(dialog).toBeHidden()

  // Nothing of either pasted key in the page, its storage, the renderer heap, or main's log.
  const dom = await page.evaluate(() => document.documentElement.outerHTML + JSON.stringify({ ...localStorage }))
  const heap = await rendererHeap(page)
  for (const key of [mine.plaintext, outside.plaintext]) {
    expect(dom).not.toContain(key)
    expect(heap.includes(key), 'renderer heap').toBe(false)
    expect(harness.logLines.join('\n')).not.toContain(key)
  }
})

test('Search all offers a whole key to triage; the radar opens it; a folder is scanned by path where there is no file dialog', async ({
  page,
  harness
}) => {
  test.setTimeout(180_000)
  const { outside } = await setUp(page, harness)
  await page.getByRole('button', { name: 'Search all tenants' }).click()
  const search = page.getByRole('dialog', { name: 'Search all tenants' })
  // A key inside other text (a line of a shell profile) is a key all the same: offered to triage, never searched.
  await search.getByRole('searchbox', { name: 'Search all tenants' }).fill(`export MESHQU_KEY=${outside.plaintext};`)
  await expect(search.getByText('This looks like a whole key.', { exact: false })).toBeVisible()
  await expect(search.getByRole('table', { name: 'Matches across tenants' })).toHaveCount(0)
  await check(page, 'search all, whole key')
  await search.getByRole('button', { name: 'Whose key is this?' }).click()
  const dialog = page.getByRole('dialog', { name: 'Whose key is this?' })
  await expect(dialog.getByRole('article', { name: outside.key.key_preview })).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(dialog).toBeHidden()

  await page.getByRole('button', { name: /^Radar( [\d,]+ findings?)?$/ }).click()
  await page.getByRole('button', { name: 'Whose key is this?' }).click()
  await expect(dialog).toBeVisible()
  const root = mkdtempSync(join(tmpdir(), 'keydesk-e2e-scan-'))
  mkdirSync(join(root, 'logs'))
  for (let i = 0; i < 50; i++) writeFileSync(join(root, 'logs', `app-${i}.log`), `line ${i}\n`)
  writeFileSync(join(root, 'logs', 'app-7.log'), `token=${outside.plaintext}\n`)
  writeFileSync(join(root, 'blob.bin'), Buffer.from([1, 0, 2, 0]))
  await dialog.getByRole('button', { name: 'Scan a file or folder…' }).click()
  await dialog.getByLabel('File or folder to scan').fill(root)
  await dialog.getByRole('button', { name: 'Scan', exact: true }).click()
  await expect(dialog.getByRole('status').filter({ hasText: /^Scanned .*50 files read, 1 key found, 1 skipped \(1 binary/ })).toBeVisible()
  const found = dialog.getByRole('article', { name: outside.key.key_preview })
  await expect(found.getByText(join('logs', 'app-7.log'))).toBeVisible()
  await check(page, 'triage scan')
})
