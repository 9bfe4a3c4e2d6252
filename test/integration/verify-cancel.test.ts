import { randomUUID } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCore, type Core } from '../../src/main/core'
import { isTenantAccount } from '../../src/main/core/tenants/keychain-accounts'
import { adminKeyIn } from '../fixtures/admin-keys'
import { silentLogger } from '../../src/main/core/log'
import { createKeytarSecretStore } from '../../src/main/core/tenants/keytar-store'
import { startSandbox, type SandboxHandle } from '../../src/sandbox'
import type { Reply } from '../../src/shared/envelope'
import type { TenantView } from '../../src/shared/tenants'

// Issue 13 §2.4: Cancel during "Verifying…" must stop main too. Real HTTP (a host that accepts the
// connection and never answers; the sandbox answering late), the real core and router, and the
// real OS keychain (a private gnome-keyring under scripts/with-test-keyring.mjs).
const reachable = process.platform !== 'linux' || !!process.env.DBUS_SESSION_BUS_ADDRESS
const required = process.env.KEYDESK_REQUIRE_KEYCHAIN === '1'

// Long enough that a cancel which only stopped waiting in the UI would show: the reply would come
// at the timeout (or as a success from the late sandbox), not at once.
const TIMEOUT_MS = 8_000
const PROMPT_MS = 1_500
const LATE_MS = 1_500

const keychain = createKeytarSecretStore(`keydesk-test-${randomUUID()}`)
let deaf: Server
let deafUrl: string
const arrived: IncomingMessage[] = []
let sandbox: SandboxHandle
let core: Core

const fail = (r: Reply<unknown>) => {
  if (r.ok) throw new Error('expected a failure, got a tenant')
  return r.error
}
const ok = <T>(r: Reply<unknown>): T => {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`)
  return r.data as T
}
const until = async (cond: () => boolean, ms = 5_000) => {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 20))
  }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
/** The admin keys the keychain holds (KeyDesk's own items aside). */
const adminKeysInKeychain = async () => (await keychain.list()).filter(isTenantAccount)
const tenants = async () => ok<{ tenants: TenantView[] }>(await core.invoke('tenants.list', {})).tenants

const newTenant = (over: Record<string, unknown>) => ({
  label: 'deaf-host',
  tenantId: '123e4567-e89b-12d3-a456-426614174000',
  environment: 'staging',
  adminKey: `mqu_live_${'abcdefghijklm'.repeat(2)}`,
  ...over
})

beforeAll(async () => {
  deaf = createServer((req) => void arrived.push(req))
  await new Promise<void>((r) => deaf.listen(0, '127.0.0.1', r))
  deafUrl = `http://127.0.0.1:${(deaf.address() as AddressInfo).port}`
  sandbox = await startSandbox({ port: 0, tenants: 2, seedKeys: 3, quiet: true })
  core = createCore({
    dataDir: mkdtempSync(join(tmpdir(), 'keydesk-verify-cancel-')),
    secretStore: keychain,
    logger: silentLogger,
    timeoutMs: TIMEOUT_MS
  })
})
afterAll(async () => {
  await core?.dispose()
  for (const account of (await keychain.list().catch(() => [])) ?? []) await keychain.delete(account).catch(() => false)
  await keychain.dispose?.()
  await sandbox?.close()
  deaf?.closeAllConnections()
  await new Promise((r) => deaf?.close(r))
})

describe.skipIf(!reachable && !required)('cancelling a verification', () => {
  it('stops tenants.add against a host that never answers: prompt CANCELLED, connection closed, nothing written', async () => {
    const verifyId = randomUUID()
    const started = Date.now()
    const pending = core.invoke('tenants.add', newTenant({ baseUrl: deafUrl, verifyId }))
    await until(() => arrived.length === 1)
    const request = arrived[0]!
    const closed = new Promise<void>((r) => request.socket.once('close', () => r()))

    expect(ok(await core.invoke('tenants.cancelVerify', { verifyId }))).toEqual({ cancelled: true })
    const reply = await pending
    expect(Date.now() - started).toBeLessThan(PROMPT_MS + 1_000)
    expect(fail(reply)).toMatchObject({ code: 'CANCELLED', outcome: 'not-sent', message: expect.stringContaining('was not added') })
    // The abort reached the HTTP client: KeyDesk hung up instead of waiting on in the background.
    await closed
    expect(await tenants()).toEqual([])
    expect(await adminKeysInKeychain()).toEqual([])
  })

  it('stops tenants.add against a host that would have said yes: nothing appears after its answer was due', async () => {
    const t = sandbox.tenants[0]!
    sandbox.control.setFaults({ latency_ms: LATE_MS })
    try {
      const verifyId = randomUUID()
      const started = Date.now()
      const pending = core.invoke('tenants.add', {
        label: 'late-yes',
        tenantId: t.id,
        baseUrl: sandbox.url,
        environment: 'staging',
        adminKey: t.admin_key,
        verifyId
      })
      await sleep(300)
      expect(ok(await core.invoke('tenants.cancelVerify', { verifyId }))).toEqual({ cancelled: true })
      expect(fail(await pending).code).toBe('CANCELLED')
      expect(Date.now() - started).toBeLessThan(LATE_MS)
      // Past the moment MeshQu's "yes" would have come, and past the verification's deadline.
      await sleep(LATE_MS + 500)
      expect(await tenants()).toEqual([])
      expect(await adminKeysInKeychain()).toEqual([])
    } finally {
      sandbox.control.clearFaults()
    }
  })

  it('a cancel that overtakes its tenants.add stops it before anything is sent', async () => {
    const verifyId = randomUUID()
    const before = arrived.length
    expect(ok(await core.invoke('tenants.cancelVerify', { verifyId }))).toEqual({ cancelled: false })
    const reply = await core.invoke('tenants.add', newTenant({ baseUrl: deafUrl, verifyId }))
    expect(fail(reply).code).toBe('CANCELLED')
    expect(arrived.length).toBe(before)
    expect(await tenants()).toEqual([])
    expect(await adminKeysInKeychain()).toEqual([])
  })

  it("stops a replaced admin key's verification: the old key and the old label stay", async () => {
    const t = sandbox.tenants[1]!
    const added = ok<TenantView>(
      await core.invoke('tenants.add', { label: 'kept', tenantId: t.id, baseUrl: sandbox.url, environment: 'staging', adminKey: t.admin_key })
    )
    sandbox.control.setFaults({ latency_ms: LATE_MS })
    try {
      const verifyId = randomUUID()
      const replacement = `mqu_live_${'nopqrstuvwxyz'.repeat(2)}`
      const pending = core.invoke('tenants.update', { tenant: added.id, label: 'renamed', adminKey: replacement, verifyId })
      await sleep(300)
      expect(ok(await core.invoke('tenants.cancelVerify', { verifyId }))).toEqual({ cancelled: true })
      expect(fail(await pending)).toMatchObject({ code: 'CANCELLED', outcome: 'not-sent', message: expect.stringContaining('was not replaced') })
      await sleep(LATE_MS + 500)
      expect(await adminKeyIn(keychain, added.id)).toBe(t.admin_key)
      expect((await tenants()).map((x) => x.label)).toEqual(['kept'])
    } finally {
      sandbox.control.clearFaults()
    }
  })

  it('a cancel after the writes is too late, says so, and undoes nothing', async () => {
    const t = sandbox.tenants[0]!
    const verifyId = randomUUID()
    const added = ok<TenantView>(
      await core.invoke('tenants.add', {
        label: 'done',
        tenantId: t.id,
        baseUrl: sandbox.url,
        environment: 'staging',
        adminKey: t.admin_key,
        verifyId
      })
    )
    expect(ok(await core.invoke('tenants.cancelVerify', { verifyId }))).toEqual({ cancelled: false })
    expect(await adminKeyIn(keychain, added.id)).toBe(t.admin_key)
    expect((await tenants()).map((x) => x.label)).toContain('done')
  })
})
