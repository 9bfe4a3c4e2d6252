// Cold switch, code before and after a change, interleaved switch by switch on one kept store
// (bench/fleet.ts, BENCH_FLEET_DIR), so both sides meet the same load. Figures only.
//   BENCH_FLEET_DIR=<kept store> BENCH_AB_BEFORE=<a built checkout of the code before> \
//     node --import tsx bench/cold-ab.ts
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join, resolve } from 'node:path'
import { chromium, type Page } from '@playwright/test'
import { chromiumLaunchOptions } from '../test/e2e/harness/chromium'
import { percentile } from './stats'

const DIR = process.env.BENCH_FLEET_DIR!
const BEFORE = resolve(process.env.BENCH_AB_BEFORE!)
const AFTER = resolve(__dirname, '..')
const ROUNDS = Number(process.env.BENCH_AB_ROUNDS ?? 12)

interface Side {
  name: string
  page: Page
  inFlight: () => number
  close: () => Promise<void>
  first: number[]
  whole: number[]
}

async function side(name: string, root: string, secrets: Record<string, string>): Promise<Side> {
  const { createCore } = await import(join(root, 'src/main/core/index.ts'))
  const { silentLogger } = await import(join(root, 'src/main/core/log.ts'))
  const { createMemorySecretStore } = await import(join(root, 'src/main/core/tenants/memory-store.ts'))
  const { startWebServer } = await import(join(root, 'src/main/web/server.ts'))
  const core = createCore({ dataDir: DIR, secretStore: createMemorySecretStore(secrets), logger: silentLogger, timeoutMs: 1_000 })
  let inFlight = 0
  const counted = {
    ...core,
    invoke: async (c: string, p: unknown) => {
      inFlight++
      try {
        return await core.invoke(c, p)
      } finally {
        inFlight--
      }
    }
  }
  const web = await startWebServer({ core: counted, rendererDir: join(root, 'out/renderer'), log: silentLogger })
  const browser = await chromium.launch(chromiumLaunchOptions())
  const page = await browser.newPage({ viewport: { width: 1360, height: 840 } })
  await page.addInitScript('globalThis.__name = (fn) => fn')
  await page.goto(web.launchUrl())
  await page.locator('.result-count').waitFor({ timeout: 120_000 })
  return {
    name,
    page,
    inFlight: () => inFlight,
    first: [],
    whole: [],
    close: async () => {
      await browser.close()
      await web.close()
      await core.dispose()
    }
  }
}

async function coldSwitch(page: Page, label: string) {
  return page.evaluate(async (label) => {
    const button = [...document.querySelectorAll('nav[aria-label="Tenants"] button')].find(
      (b) => b.getAttribute('aria-label') === label
    ) as HTMLButtonElement
    const start = performance.now()
    button.click()
    await new Promise<void>((done) => {
      const check = () => {
        const ok = document.querySelector('h1')?.textContent === label && document.querySelectorAll('[role="grid"] [role="row"]').length > 5
        if (ok) requestAnimationFrame(() => done())
        else requestAnimationFrame(check)
      }
      check()
    })
    const first = performance.now() - start
    await new Promise<void>((done) => {
      const check = () => (!document.querySelector('.rest-loading') ? requestAnimationFrame(() => done()) : requestAnimationFrame(check))
      check()
    })
    return { first, whole: performance.now() - start }
  }, label)
}

async function main() {
  const kept = JSON.parse(readFileSync(join(DIR, 'kept.json'), 'utf8')) as { secrets: Record<string, string>; port: number; tenants: number }
  const silent = createServer(() => {})
  await new Promise<void>((r) => silent.listen(kept.port, '127.0.0.1', r))
  const sides = [await side('before', BEFORE, kept.secrets), await side('after', AFTER, kept.secrets)]
  const settled = async () => {
    while (sides.some((s) => s.inFlight() > 0)) await new Promise((r) => setTimeout(r, 50))
    await new Promise((r) => setTimeout(r, 500))
  }
  // Tenants 1..2·ROUNDS, each switched to once, by one side: the sides take turns, and which side
  // goes first alternates, so neither always meets the other's leftovers.
  let t = 1
  for (let round = 0; round < ROUNDS + 1 && t + 1 < kept.tenants; round++) {
    const order = round % 2 === 0 ? sides : [...sides].reverse()
    for (const s of order) {
      await settled()
      const r = await coldSwitch(s.page, `tenant-${String(t++).padStart(2, '0')}`)
      // The first round warms each page up: not counted.
      if (round > 0) {
        s.first.push(r.first)
        s.whole.push(r.whole)
      }
    }
  }
  await settled()
  for (const s of sides) {
    process.stdout.write(
      `${s.name}: first screenful p50 ${percentile(s.first, 50).toFixed(1)} ms, p95 ${percentile(s.first, 95).toFixed(1)} ms; ` +
        `whole list p50 ${percentile(s.whole, 50).toFixed(1)} ms, p95 ${percentile(s.whole, 95).toFixed(1)} ms (${s.first.length} switches)\n`
    )
  }
  const [b, a] = sides as [Side, Side]
  process.stdout.write(
    `after / before at p50: first screenful ${(percentile(a.first, 50) / percentile(b.first, 50)).toFixed(2)}, whole list ${(percentile(a.whole, 50) / percentile(b.whole, 50)).toFixed(2)}\n`
  )
  for (const s of sides) await s.close()
  silent.close()
}

main().catch((err) => {
  process.stderr.write(`cold-ab failed: ${err instanceof Error ? err.stack : String(err)}\n`)
  process.exit(1)
})
