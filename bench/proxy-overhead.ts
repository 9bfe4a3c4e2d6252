// Proxy overhead: core.invoke('keys.list') (router + validation + client + zod) against a raw
// fetch of the same sandbox page. Budget (ARCHITECTURE.md): ≤ 1.2× at p50.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startSandbox } from '../src/sandbox'
import { createCore } from '../src/main/core'
import { createMemorySecretStore } from '../src/main/core/tenants/memory-store'
import { silentLogger } from '../src/main/core/log'
import { percentile, type BenchResult } from './stats'

export async function proxyOverhead(rounds = 400, pageSize = 100): Promise<BenchResult[]> {
  const sandbox = await startSandbox({ port: 0, tenants: 1, seedKeys: Math.max(pageSize, 2), rateLimit: 1_000_000, quiet: true })
  const core = createCore({ dataDir: mkdtempSync(join(tmpdir(), 'keydesk-bench-')), secretStore: createMemorySecretStore(), logger: silentLogger })
  try {
    const t = sandbox.tenants[0]!
    const added = await core.invoke('tenants.add', {
      label: 'bench',
      tenantId: t.id,
      baseUrl: sandbox.url,
      environment: 'sandbox',
      adminKey: t.admin_key
    })
    if (!added.ok) throw new Error(added.error.message)
    const tenant = (added.data as { id: string }).id
    const raw = async () => {
      const res = await fetch(`${sandbox.url}/v1/api-keys?limit=${pageSize}`, {
        headers: { authorization: `Bearer ${t.admin_key}`, 'x-meshqu-tenant-id': t.id }
      })
      await res.json()
    }
    const proxied = async () => {
      const r = await core.invoke('keys.list', { tenant, limit: pageSize })
      if (!r.ok) throw new Error(r.error.message)
    }
    const time = async (fn: () => Promise<void>) => {
      const t0 = performance.now()
      await fn()
      return performance.now() - t0
    }
    for (let i = 0; i < 50; i++) await Promise.all([raw(), proxied()])
    const rawMs: number[] = []
    const proxMs: number[] = []
    // Interleaved so drift on the machine hits both sides alike.
    for (let i = 0; i < rounds; i++) {
      rawMs.push(await time(raw))
      proxMs.push(await time(proxied))
    }
    const rawP50 = percentile(rawMs, 50)
    const proxP50 = percentile(proxMs, 50)
    return [
      { name: `raw fetch, ${pageSize} keys (p50)`, value: rawP50, unit: 'ms' },
      { name: `core.invoke keys.list, ${pageSize} keys (p50)`, value: proxP50, unit: 'ms' },
      { name: `raw fetch p95`, value: percentile(rawMs, 95), unit: 'ms' },
      { name: `core.invoke p95`, value: percentile(proxMs, 95), unit: 'ms' },
      { name: 'proxy overhead ratio at p50', value: proxP50 / rawP50, unit: '×', budget: 1.2 }
    ]
  } finally {
    await core.dispose()
    await sandbox.close()
  }
}
