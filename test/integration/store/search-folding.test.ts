import { randomBytes } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createCore } from '../../../src/main/core'
import { createFleetStore } from '../../../src/main/core/store/fleet-store'
import { createMemorySecretStore } from '../../../src/main/core/tenants/memory-store'
import { silentLogger } from '../../../src/main/core/log'
import { makeKey } from '../../fixtures/keys'

describe('search text', () => {
  it('folds a short term the same way on both sides, for any script', async () => {
    const key = randomBytes(32)
    const store = createFleetStore({
      path: join(mkdtempSync(join(tmpdir(), 'keydesk-fold-')), 'keydesk.db'),
      dataKey: async () => key,
      log: silentLogger,
      now: Date.now
    })
    try {
      await store.syncKeys('t1', [makeKey('k1', { name: 'Éa-billing' }), makeKey('k2', { name: 'ΣΩ-worker' }), makeKey('k3', { name: 'plain' })], 1)
      const names = async (text: string) => (await store.search({ text, limit: 10 })).hits.map((h) => h.key.name)
      expect(await names('éa')).toEqual(['Éa-billing'])
      expect(await names('ÉA')).toEqual(['Éa-billing'])
      expect(await names('σω')).toEqual(['ΣΩ-worker'])
      expect(await names('PL')).toEqual(['plain'])
    } finally {
      await store.close()
    }
  })

  it('refuses control characters with a message on the field, and nothing is logged as an error', async () => {
    const lines: string[] = []
    const logger = { debug() {}, info() {}, warn: (m: string) => lines.push(m), error: (m: string) => lines.push(m) }
    const core = createCore({ dataDir: mkdtempSync(join(tmpdir(), 'keydesk-fold-')), secretStore: createMemorySecretStore(), logger })
    try {
      const r = await core.invoke('keys.searchAll', { text: 'svc\u0000x' })
      expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { text: 'Search text cannot contain control characters' } } })
      expect(lines.filter((l) => /error/i.test(l))).toEqual([])
    } finally {
      await core.dispose()
    }
  })
})
