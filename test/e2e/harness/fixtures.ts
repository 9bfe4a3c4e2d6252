import { mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { test as base, expect, type Page } from '@playwright/test'
import { startSandbox, type SandboxHandle, type SandboxOptions } from '../../../src/sandbox'
import { createCore, type Core, type CoreOptions } from '../../../src/main/core'
import { createMemorySecretStore } from '../../../src/main/core/tenants/memory-store'
import { createLogger } from '../../../src/main/core/log'
import { bridgeBundle } from './bridge-bundle'
import { serveRenderer } from './static-server'

const ROOT = resolve(__dirname, '../../..')

export interface Harness {
  core: Core
  sandbox: SandboxHandle
  dataDir: string
  secrets: ReturnType<typeof createMemorySecretStore>
  clipboard: { text: string }
  /** Every line the core logged (through its redacting logger), for leak checks. */
  logLines: string[]
  /** Loads the app in `page` with window.keydesk wired to `core`. */
  open(page: Page): Promise<void>
  /** A second core on the same data dir (a restart). */
  restart(extra?: Partial<CoreOptions>): Promise<Core>
}

type Options = { sandboxOptions: SandboxOptions; coreOptions: Partial<CoreOptions> }

/**
 * Everything but Electron's IPC is real: the built renderer in Chromium, the real core with its
 * router and MeshQu client, a real sandbox over HTTP. Secrets live in an in-memory keychain.
 */
export const test = base.extend<Options & { harness: Harness }>({
  sandboxOptions: [{ port: 0, tenants: 2, seedKeys: 40, quiet: true }, { option: true }],
  coreOptions: [{}, { option: true }],
  harness: async ({ sandboxOptions, coreOptions }, use) => {
    const sandbox = await startSandbox(sandboxOptions)
    const dataDir = mkdtempSync(join(tmpdir(), 'keydesk-e2e-'))
    mkdirSync(dataDir, { recursive: true })
    const secrets = createMemorySecretStore()
    const clipboard = { text: '' }
    const logLines: string[] = []
    const logger = createLogger((line) => void logLines.push(line), 'debug')
    const make = (extra: Partial<CoreOptions> = {}) =>
      createCore({
        dataDir,
        secretStore: secrets,
        logger,
        appVersion: 'e2e',
        clipboard: { writeText: (t) => void (clipboard.text = t), readText: () => clipboard.text },
        ...coreOptions,
        ...extra
      })
    let core = make()
    // Main's events go to every opened page, from whichever core is current (a restart re-subscribes).
    const pages = new Set<Page>()
    const forward = () =>
      core.events.subscribe((batch) => {
        const json = JSON.stringify(batch)
        for (const p of pages)
          void p.evaluate((j) => (window as unknown as { __keydeskEvents?: (j: string) => void }).__keydeskEvents?.(j), json).catch(() => {})
      })
    let unsubscribe = forward()
    const server = await serveRenderer(join(ROOT, 'out/renderer'))
    const harness: Harness = {
      get core() {
        return core
      },
      sandbox,
      dataDir,
      secrets,
      clipboard,
      logLines,
      async open(page) {
        await page.exposeFunction('__keydeskInvoke', async (channel: string, payload: unknown) => JSON.stringify(await core.invoke(channel, payload)))
        await page.addInitScript({ path: await bridgeBundle() })
        pages.add(page)
        page.once('close', () => pages.delete(page))
        await page.goto(server.url)
      },
      async restart(extra) {
        unsubscribe()
        await core.dispose()
        core = make(extra)
        unsubscribe = forward()
        return core
      }
    }
    await use(harness)
    unsubscribe()
    await core.dispose()
    await server.close()
    await sandbox.close()
  }
})

export { expect }

/** Screenshots land in test-results/screenshots for a person to look at. */
export async function snap(page: Page, name: string) {
  await page.screenshot({ path: join(ROOT, 'test-results/screenshots', `${name}.png`) })
}

/** Adds a sandbox tenant through the Add tenant dialog, as an operator would. */
export async function addTenantViaUi(
  page: Page,
  h: Harness,
  index: number,
  opts: { label: string; environment?: string; adminKey?: string; level?: 'open' | 'protected' | 'read-only' }
) {
  const t = h.sandbox.tenants[index]!
  await page.getByRole('button', { name: 'Add tenant' }).first().click()
  const dialog = page.getByRole('dialog', { name: 'Add tenant' })
  await dialog.getByLabel('Label').fill(opts.label)
  await dialog.getByLabel('Environment').selectOption(opts.environment ?? 'staging')
  // After the environment: a new environment puts the level back to its default.
  if (opts.level) await dialog.getByLabel('Protection level').selectOption(opts.level)
  await dialog.getByLabel('Base URL').fill(h.sandbox.url)
  await dialog.getByLabel('Tenant ID').fill(t.id)
  await dialog.getByLabel('Admin key').fill(opts.adminKey ?? t.admin_key)
  await dialog.getByRole('button', { name: 'Verify and save' }).click()
  return dialog
}

/**
 * Adds a tenant and waits until it is saved and shown: its dialog gone and the header naming it.
 * A key count alone does not tell, since two sandbox tenants may hold as many keys.
 */
export async function addTenantShown(page: Page, h: Harness, index: number, opts: Parameters<typeof addTenantViaUi>[3]) {
  await expect(await addTenantViaUi(page, h, index, opts)).toBeHidden()
  await expect(page.getByRole('heading', { level: 1, name: opts.label })).toBeVisible()
}

/** The whole renderer heap after a forced GC, as text: to prove a secret is not held anywhere in it. */
export async function rendererHeap(page: Page): Promise<string> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('HeapProfiler.enable')
  await cdp.send('HeapProfiler.collectGarbage')
  let heap = ''
  cdp.on('HeapProfiler.addHeapSnapshotChunk', (e) => (heap += e.chunk))
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false })
  await cdp.detach()
  return heap
}
