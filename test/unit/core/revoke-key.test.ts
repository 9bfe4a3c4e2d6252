import { describe, expect, it } from 'vitest'
import { CoreError } from '../../../src/main/core/errors'
import { silentLogger } from '../../../src/main/core/log'
import type { RecordInput } from '../../../src/main/core/journal/journal'
import type { UnknownWrite } from '../../../src/main/core/store/fleet-store'
import { createKeyRevoker, type RevokeRequest } from '../../../src/main/core/writes/revoke-key'
import type { WriteDeps } from '../../../src/main/core/writes/write-deps'
import type { ApiKey } from '../../../src/shared/meshqu'

// The one revoke's policy for each way a DELETE can end. The collaborators are fakes that record
// what they were asked; MeshQu's side is a client whose revokeKey does what each case needs.
const KEY: ApiKey = {
  id: 'k1',
  tenant_id: 't',
  name: 'billing-worker',
  key_preview: 'mqu_test_...abcd',
  scopes: ['decisions:read'],
  expires_at: null,
  last_used_at: null,
  is_active: true,
  created_at: '2026-01-01T00:00:00Z',
  created_by: null,
  revoked_at: null,
  revoked_by: null
}

function harness(revoke: () => Promise<{ data: { key: ApiKey | null } }>) {
  const journal: RecordInput[] = []
  const unknown: { tenant: string; w: UnknownWrite }[] = []
  const put: ApiKey[] = []
  const resolved: string[] = []
  const kinds: unknown[] = []
  const deps = {
    sessions: {
      open: async () => ({
        client: {
          revokeKey: async (_id: string, o: { kind: unknown }) => {
            kinds.push(o.kind)
            return revoke()
          }
        }
      })
    },
    store: {
      keyById: async () => KEY,
      putKey: async (_t: string, k: ApiKey) => void put.push(k),
      rotations: { resolve: async (_t: string, ids: readonly string[]) => void resolved.push(...ids) },
      unknownWrites: { add: async (tenant: string, w: UnknownWrite) => void unknown.push({ tenant, w }) }
    },
    journal: {
      record: async (e: RecordInput) => {
        journal.push(e)
        return { seq: journal.length }
      }
    },
    profiles: { get: async () => ({ id: 't' }) },
    log: silentLogger,
    now: () => Date.parse('2026-06-01T00:00:00Z')
  } as unknown as WriteDeps
  const request = (over: Partial<RevokeRequest> = {}): RevokeRequest => ({
    tenant: 't',
    id: 'k1',
    priority: 'background',
    entry: { action: 'bulk.revoke', jobId: 'job-1', reason: 'offboarding' },
    ...over
  })
  return { revoke: createKeyRevoker(deps), request, journal, unknown, put, resolved, kinds }
}

const dropped = () => new CoreError('OFFLINE', 'connection reset', { outcome: 'unknown', reachedServer: false })
const refused = () => new CoreError('FORBIDDEN', 'The admin key lacks api-keys:admin.', { outcome: 'rejected', reachedServer: true, status: 403 })

describe('the one revoke: unknown outcomes', () => {
  it('says it may not have been applied, journals "unknown" and keeps it for settlement with that entry', async () => {
    const h = harness(() => Promise.reject(dropped()))
    const err = await h.revoke(h.request()).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(CoreError)
    expect((err as CoreError).code).toBe('OFFLINE')
    expect((err as CoreError).message).toMatch(/Revocation of "billing-worker" may not have been applied/)
    expect(h.journal).toEqual([
      expect.objectContaining({ tenant: 't', action: 'bulk.revoke', outcome: 'unknown', errorCode: 'OFFLINE', jobId: 'job-1', reason: 'offboarding' })
    ])
    expect(h.unknown).toEqual([{ tenant: 't', w: expect.objectContaining({ kind: 'revoke', keyId: 'k1', name: 'billing-worker', journalSeq: 1 }) }])
    // Nothing is claimed: the store keeps the key as it was and the rotation reminder stays.
    expect(h.put).toEqual([])
    expect(h.resolved).toEqual([])
    expect(h.kinds).toEqual(['background'])
  })

  it('records an unknown outcome even when the caller will send it again (it may already be applied)', async () => {
    const h = harness(() => Promise.reject(dropped()))
    await expect(h.revoke(h.request({ retrying: () => true }))).rejects.toThrow(/may not have been applied/)
    expect(h.journal.map((e) => e.outcome)).toEqual(['unknown'])
    expect(h.unknown).toHaveLength(1)
  })

  it('a refusal is journaled as failed, never kept as unknown; not journaled while the caller will retry', async () => {
    const h = harness(() => Promise.reject(refused()))
    await expect(h.revoke(h.request())).rejects.toThrow('The admin key lacks api-keys:admin.')
    expect(h.journal.map((e) => [e.outcome, e.errorCode])).toEqual([['failed', 'FORBIDDEN']])
    await expect(h.revoke(h.request({ retrying: (e) => e.code === 'FORBIDDEN' }))).rejects.toThrow()
    expect(h.journal).toHaveLength(1)
    expect(h.unknown).toEqual([])
  })

  it('on success: journaled ok, the rotation resolved, and the store holds the key as revoked', async () => {
    const revoked = { ...KEY, is_active: false, revoked_at: '2026-06-01T00:00:00Z' }
    const h = harness(async () => ({ data: { key: revoked } }))
    await h.revoke(h.request({ priority: 'interactive', entry: { action: 'key.revoke' } }))
    expect(h.put).toEqual([revoked])
    expect(h.resolved).toEqual(['k1'])
    expect(h.journal).toEqual([
      expect.objectContaining({ action: 'key.revoke', outcome: 'ok', key: { id: 'k1', name: KEY.name, preview: KEY.key_preview } })
    ])
    expect(h.kinds).toEqual(['interactive'])
  })

  it('a 204 whose key could not be read back marks the stored copy revoked as of now', async () => {
    const h = harness(async () => ({ data: { key: null } }))
    await h.revoke(h.request())
    expect(h.put).toEqual([{ ...KEY, is_active: false, revoked_at: '2026-06-01T00:00:00.000Z' }])
  })
})
