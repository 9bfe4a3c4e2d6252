// 10,000 keys in Chromium: tenant switch → painted rows (from cache), per-keystroke filter time,
// renderer heap; plus listing 10,000 keys from the network. Budgets: ARCHITECTURE.md.
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium } from '@playwright/test'
import { startSandbox } from '../src/sandbox'
import { createCore } from '../src/main/core'
import { createMemorySecretStore } from '../src/main/core/tenants/memory-store'
import { silentLogger } from '../src/main/core/log'
import { bridgeBundle } from '../test/e2e/harness/bridge-bundle'
import { chromiumLaunchOptions } from '../test/e2e/harness/chromium'
import { serveRenderer } from '../test/e2e/harness/static-server'
import { percentile, type BenchResult } from './stats'

const ROOT = resolve(__dirname, '..')
const BIG = 10_000

export async function ui10k(): Promise<BenchResult[]> {
  if (!existsSync(join(ROOT, 'out/renderer/index.html'))) throw new Error('run `npm run build` first (npm run bench does)')
  const sandbox = await startSandbox({ port: 0, tenants: 0, quiet: true, rateLimit: 1_000_000 })
  const big = await sandbox.control.createTenant({ name: 'big-tenant', seed_keys: BIG - 1 })
  const small = await sandbox.control.createTenant({ name: 'small-tenant', seed_keys: 49 })
  const core = createCore({ dataDir: mkdtempSync(join(tmpdir(), 'keydesk-bench-ui-')), secretStore: createMemorySecretStore(), logger: silentLogger })
  const server = await serveRenderer(join(ROOT, 'out/renderer'))
  const browser = await chromium.launch(chromiumLaunchOptions())
  try {
    for (const [label, t] of [
      ['big', big],
      ['small', small]
    ] as const) {
      const r = await core.invoke('tenants.add', { label, tenantId: t.id, baseUrl: sandbox.url, environment: 'staging', adminKey: t.admin_key })
      if (!r.ok) throw new Error(r.error.message)
    }
    const ids = (await core.invoke('tenants.list', {})) as { ok: true; data: { tenants: { id: string; label: string }[] } }
    const bigId = ids.data.tenants.find((t) => t.label === 'big')!.id

    // Network: every page of 10,000 keys, as the app loads them.
    const t0 = performance.now()
    const all = await core.invoke('keys.listAll', { tenant: bigId })
    const networkMs = performance.now() - t0
    const pages = all.ok ? (all.data as { pages: number }).pages : 0

    const page = await browser.newPage({ viewport: { width: 1360, height: 840 } })
    await page.exposeFunction('__keydeskInvoke', async (c: string, p: unknown) => JSON.stringify(await core.invoke(c, p)))
    // tsx compiles this file with keepNames; the functions sent to the page call its __name helper.
    await page.addInitScript('globalThis.__name = (fn) => fn')
    await page.addInitScript({ path: await bridgeBundle() })
    await page.goto(server.url)
    await page.getByText(`${BIG} keys`).waitFor({ timeout: 60_000 })
    await page.getByRole('navigation', { name: 'Tenants' }).getByRole('button', { name: 'small' }).click()
    await page.getByText('50 keys').waitFor()

    // Switch to the big tenant (its list already in the renderer's cache) until its rows are painted.
    const switchMs: number[] = []
    for (let i = 0; i < 12; i++) {
      for (const [label, count] of [
        ['big', BIG],
        ['small', 50]
      ] as const) {
        const ms = await page.evaluate(
          async ({ label, count }) => {
            const button = [...document.querySelectorAll('nav[aria-label="Tenants"] button')].find(
              (b) => b.getAttribute('aria-label') === label
            ) as HTMLButtonElement
            const start = performance.now()
            button.click()
            await new Promise<void>((done) => {
              const check = () => {
                const ok =
                  document.querySelector('h1')?.textContent === label &&
                  document.querySelector('.result-count')?.textContent === `${count} keys` &&
                  document.querySelectorAll('[role="grid"] [role="row"]').length > 5
                if (ok) requestAnimationFrame(() => done())
                else requestAnimationFrame(check)
              }
              check()
            })
            return performance.now() - start
          },
          { label, count }
        )
        if (label === 'big' && i >= 2) switchMs.push(ms)
      }
    }

    // One keystroke at a time into the search box, until the filtered rows are painted.
    await page.getByRole('navigation', { name: 'Tenants' }).getByRole('button', { name: 'big' }).click()
    await page.getByText(`${BIG} keys`).waitFor()
    const keyMs: number[] = []
    const frameMs: number[] = []
    for (const term of ['billing-service', 'prod-01', 'risk engine', 'qa']) {
      const perKey = await page.evaluate(async (term) => {
        const input = document.querySelector('input[aria-label="Search keys"]') as HTMLInputElement
        const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!
        const commits: number[] = []
        const frames: number[] = []
        let text = ''
        for (const ch of term) {
          text += ch
          const start = performance.now()
          // Re-render: React commits rows filtered for this text (the keys view marks it);
          // painted: the next frame after that commit.
          const committed = new Promise<number>((done) => {
            const seen = () => {
              const painted = document.querySelector('.result-count')?.getAttribute('data-filtered-for')
              return painted === text || (!document.querySelector('.result-count') && !!document.querySelector('.state'))
            }
            const obs = new MutationObserver(() => {
              if (seen()) {
                obs.disconnect()
                done(performance.now() - start)
              }
            })
            obs.observe(document.querySelector('.keys-view')!, { subtree: true, attributes: true, childList: true, characterData: true })
            setTimeout(() => {
              obs.disconnect()
              done(performance.now() - start)
            }, 2000)
          })
          setter.call(input, text)
          input.dispatchEvent(new Event('input', { bubbles: true }))
          commits.push(await committed)
          await new Promise((r) => requestAnimationFrame(() => r(null)))
          frames.push(performance.now() - start)
        }
        setter.call(input, '')
        input.dispatchEvent(new Event('input', { bubbles: true }))
        await new Promise((r) => setTimeout(r, 200))
        return { commits, frames }
      }, term)
      keyMs.push(...perKey.commits)
      frameMs.push(...perKey.frames)
    }

    const cdp = await page.context().newCDPSession(page)
    await cdp.send('HeapProfiler.collectGarbage')
    const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }

    return [
      { name: `list ${BIG} keys from the network (${pages} pages, parallel, paced)`, value: networkMs, unit: 'ms' },
      { name: 'tenant switch → painted rows from cache, p50', value: percentile(switchMs, 50), unit: 'ms', budget: 100 },
      { name: 'tenant switch → painted rows from cache, p95', value: percentile(switchMs, 95), unit: 'ms' },
      { name: 'filter keystroke → filtered rows re-rendered (commit), p50', value: percentile(keyMs, 50), unit: 'ms', budget: 16 },
      { name: 'filter keystroke → filtered rows re-rendered (commit), p95', value: percentile(keyMs, 95), unit: 'ms' },
      { name: 'filter keystroke → next painted frame, p50', value: percentile(frameMs, 50), unit: 'ms' },
      { name: `renderer heap with ${BIG} keys (after GC)`, value: heap.usedSize / 1024 / 1024, unit: 'MB', budget: 50 }
    ]
  } finally {
    await browser.close()
    await core.dispose()
    await server.close()
    await sandbox.close()
  }
}
