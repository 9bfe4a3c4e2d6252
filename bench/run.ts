// npm run bench — prints figures and ratios; never asserts them (timings are not tests).
import { cpus } from 'node:os'
import { formatComparison, formatResults } from './stats'
import { proxyOverhead } from './proxy-overhead'
import { ui10k } from './ui-10k'
import { fleet } from './fleet'
import { storeSize } from './store-size'
import { storeThread } from './store-thread'
import { fleetSync } from './fleet-sync'
import { triageLookup } from './triage'

async function main() {
  const header = `KeyDesk bench — ${new Date().toISOString()} — node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`
  process.stdout.write(`${header}\n\n`)
  if (process.env.BENCH_ONLY === 'store-thread') return storeThreadPart()
  if (process.env.BENCH_ONLY === 'fleet-sync') {
    process.stdout.write(
      `${formatResults('Fleet sync: every tenant listed into the fleet store by sync.all (one sandbox host)', await fleetSync())}\n\n`
    )
    return
  }
  if (process.env.BENCH_ONLY === 'triage' || process.env.BENCH_ONLY === undefined) {
    process.stdout.write(`${formatResults('Leak triage lookup: 50 tenants × 10,000 keys, store on its worker', await triageLookup())}\n\n`)
    if (process.env.BENCH_ONLY === 'triage') return
  }
  if (process.env.BENCH_ONLY === 'store-size' || process.env.BENCH_ONLY === undefined) {
    process.stdout.write(
      `${formatResults('Fleet store size and first sync, schema 5 beside the current one (encrypted SQLite)', await storeSize())}\n\n`
    )
    if (process.env.BENCH_ONLY === 'store-size') return
  }
  if (process.env.BENCH_ONLY !== 'fleet') {
    process.stdout.write(`${formatResults('10,000 keys in Chromium (built renderer, real core and sandbox)', await ui10k())}\n\n`)
  }
  process.stdout.write(
    `${formatResults('Fleet store: 50 tenants × 10,000 keys (encrypted SQLite, real core; cold switch in Chromium)', await fleet())}\n\n`
  )
  if (process.env.BENCH_ONLY === 'fleet') return
  for (const size of [1, 100, 500]) {
    process.stdout.write(
      `${formatResults(`Proxy overhead, pages of ${size} key(s): core.invoke vs raw fetch of the same sandbox`, await proxyOverhead(300, size))}\n\n`
    )
  }
  await storeThreadPart()
}

async function storeThreadPart() {
  const { comparisons, notes } = await storeThread()
  const title = 'Fleet store on its own thread: in process (before) and worker (after), same run, back to back'
  process.stdout.write(`${formatComparison(title, comparisons, 'in process', 'worker')}\n\n${notes.map((n) => `- ${n}`).join('\n')}\n\n`)
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
  process.exit(1)
})
