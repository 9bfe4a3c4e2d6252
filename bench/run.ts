// npm run bench — prints figures and ratios; never asserts them (timings are not tests).
import { cpus } from 'node:os'
import { formatResults } from './stats'
import { proxyOverhead } from './proxy-overhead'

async function main() {
  const header = `KeyDesk bench — ${new Date().toISOString()} — node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`
  process.stdout.write(`${header}\n\n`)
  for (const size of [1, 100, 500]) {
    process.stdout.write(`${formatResults(`Proxy overhead, pages of ${size} key(s): core.invoke vs raw fetch of the same sandbox`, await proxyOverhead(300, size))}\n\n`)
  }
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
})
