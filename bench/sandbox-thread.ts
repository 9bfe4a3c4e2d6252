// The MeshQu sandbox on its own thread: its HTTP and JSON work would otherwise run on the bench's
// main loop and show up as main's stalls, which must measure KeyDesk's main process alone.
import { parentPort, workerData } from 'node:worker_threads'
import { startSandbox } from '../src/sandbox'

export interface SandboxThreadReady {
  url: string
  tenants: { id: string; name: string; admin_key: string }[]
}

async function main() {
  const port = parentPort
  if (!port) throw new Error('sandbox-thread.ts runs only as a worker thread')
  const { tenants, keys } = workerData as { tenants: number; keys: number }
  const sandbox = await startSandbox({ port: 0, tenants, seedKeys: keys, rateLimit: 1_000_000, quiet: true })
  port.on('message', (m) => {
    if (m === 'close') void sandbox.close().then(() => port.close())
  })
  port.postMessage({ url: sandbox.url, tenants: sandbox.tenants } satisfies SandboxThreadReady)
}

void main()
