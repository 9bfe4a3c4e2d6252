import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox } from '../../src/sandbox'
import { createCore, type Core } from '../../src/main/core'
import { createMemorySecretStore } from '../../src/main/core/tenants/memory-store'
import { createLogger } from '../../src/main/core/log'
import { FINGERPRINT_KEY_ACCOUNT } from '../../src/main/core/tenants/keychain-accounts'
import type { Reply } from '../../src/shared/envelope'
import type { ApiKey } from '../../src/shared/meshqu'
import type { ChannelOutput } from '../../src/shared/contract'
import type { TriageScan, TriageSession } from '../../src/shared/triage'

// Leak triage end to end: real sandbox over HTTP, real core, real encrypted store in a worker.
// Whatever is pasted must come back only masked: every reply, log line and file of the data dir
// is searched for the pasted keys at the end.
type Sandbox = Awaited<ReturnType<typeof startSandbox>>
let sandbox: Sandbox
let core: Core
let staging: string
let dev: string
let offline = false
let requests = 0
const dataDir = mkdtempSync(join(tmpdir(), 'keydesk-triage-'))
const secrets = createMemorySecretStore()
const logLines: string[] = []
/** Every reply KeyDesk gave after a key was pasted (not the copy-once reveal of its own new keys). */
const replies: string[] = []
/** Every key pasted into triage. */
const pasted: string[] = []

let refuseDeletes = false
const guardedFetch = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
  requests++
  if (offline) throw new TypeError('fetch failed')
  // MeshQu refusing a revoke for a while (a 503 with nothing applied), for a Contain tried again.
  if (refuseDeletes && init?.method === 'DELETE')
    return new Response(JSON.stringify({ error: { code: 'SERVICE_UNAVAILABLE', message: 'try later' } }), {
      status: 503,
      headers: { 'content-type': 'application/json' }
    })
  return fetch(input, init)
}) as typeof fetch

const ok = <T>(r: Reply<unknown>): T => {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`)
  return r.data as T
}
async function call<T>(channel: string, payload: unknown): Promise<Reply<T>> {
  const r = (await core.invoke(channel, payload)) as Reply<T>
  if (channel !== 'secrets.reveal') replies.push(JSON.stringify(r))
  return r
}
const paste = async (text: string, keys: string[]) => {
  pasted.push(...keys)
  return ok<TriageSession>(await call('triage.start', { text }))
}

/** A key made straight at the sandbox with the tenant's admin key: KeyDesk never saw its plaintext. */
async function outsideKey(i: number, name: string, scopes: string[]): Promise<{ key: ApiKey; plaintext: string }> {
  const t = sandbox.tenants[i]!
  const res = await fetch(`${sandbox.url}/v1/api-keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${t.admin_key}`, 'x-meshqu-tenant-id': t.id, 'content-type': 'application/json' },
    body: JSON.stringify({ name, scopes })
  })
  const body = (await res.json()) as { key: ApiKey; plaintext_key: string }
  return { key: body.key, plaintext: body.plaintext_key }
}
async function createdByKeyDesk(tenant: string, name: string, scopes: string[]) {
  const created = ok<ChannelOutput<'keys.create'>>(await call('keys.create', { tenant, key: { name, scopes } }))
  const { plaintext } = ok<{ plaintext: string }>(await call('secrets.reveal', { revealId: created.revealId }))
  ok(await call('secrets.discard', { revealId: created.revealId }))
  return { key: created.key, plaintext }
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, tenants: 3, seedKeys: 3, quiet: true })
  core = createCore({
    dataDir,
    secretStore: secrets,
    logger: createLogger((line) => logLines.push(line), 'debug'),
    fetch: guardedFetch,
    timeoutMs: 5000,
    expiryCheckEveryMs: false
  })
  const [a, b] = sandbox.tenants
  staging = ok<{ id: string }>(
    await call('tenants.add', { label: 'triage-staging', tenantId: a!.id, baseUrl: sandbox.url, environment: 'staging', adminKey: a!.admin_key })
  ).id
  dev = ok<{ id: string }>(
    await call('tenants.add', { label: 'triage-dev', tenantId: b!.id, baseUrl: sandbox.url, environment: 'development', adminKey: b!.admin_key })
  ).id
})
afterAll(async () => {
  await core?.dispose()
  await sandbox?.close()
})

describe('whose key is this?', () => {
  it('a key KeyDesk created matches exactly, offline, with its blast radius', async () => {
    const { key, plaintext } = await createdByKeyDesk(staging, 'billing-worker', ['decisions:evaluate', 'api-keys:admin'])
    // The fingerprint key was made in the keychain, under KeyDesk's own namespace.
    expect(await secrets.get(FINGERPRINT_KEY_ACCOUNT)).toMatch(/^[A-Za-z0-9+/]{43}=$/)
    offline = true
    requests = 0
    try {
      const session = await paste(plaintext, [plaintext])
      expect(requests).toBe(0)
      expect(session.notAKey).toBe(false)
      expect(session.findings).toHaveLength(1)
      const [f] = session.findings
      expect(f!.result).toBe('exact')
      expect(f!.masked).toBe(key.key_preview)
      expect(f!.matches).toHaveLength(1)
      const m = f!.matches[0]!
      expect(m).toMatchObject({
        kind: 'exact',
        keyId: key.id,
        adminKey: false,
        tenant: { id: staging, label: 'triage-staging', environment: 'staging' }
      })
      expect(m.key).toMatchObject({ name: 'billing-worker', status: 'active', preview: key.key_preview })
      expect(m.key!.scopes).toEqual([
        { scope: 'decisions:evaluate', privileged: false },
        { scope: 'api-keys:admin', privileged: true }
      ])
      expect(m.key!.createdBy).toBe(key.created_by)
    } finally {
      offline = false
    }
  })

  it('a key created straight on the sandbox is a candidate by preview, marked possible with the count', async () => {
    const { key, plaintext } = await createdOutsideAndSynced(1, 'outside-made', ['alerts:read'])
    const session = await paste(`token=${plaintext}`, [plaintext])
    const [f] = session.findings
    expect(f!.result).toBe('possible')
    expect(f!.candidates).toBeGreaterThanOrEqual(1)
    expect(f!.matches.map((m) => m.keyId)).toContain(key.id)
    expect(f!.matches.every((m) => m.kind === 'possible')).toBe(true)
    expect(f!.masked).toBe(key.key_preview)
  })

  it('a text with three keys gives three results; junk gives "not a MeshQu key"', async () => {
    const mine = await createdByKeyDesk(dev, 'log-three-a', ['alerts:read'])
    const theirs = await createdOutsideAndSynced(0, 'log-three-b', ['audit:read'])
    const unknown = 'mqu_live_' + 'Zz9'.repeat(11)
    const log = [
      '2026-12-07T10:00:00Z INFO starting worker',
      `2026-12-07T10:00:01Z DEBUG env MESHQU_KEY=${mine.plaintext}`,
      `curl -H "Authorization: Bearer ${theirs.plaintext}" https://api.meshqu.com/v1/decisions`,
      `old config: api_key: "${unknown}" # rotated?`,
      `again ${mine.plaintext}`,
      'preview only: mqu_live_...x7Kf'
    ].join('\n')
    const session = await paste(log, [mine.plaintext, theirs.plaintext, unknown])
    expect(session.findings.map((f) => f.result)).toEqual(['exact', 'possible', 'unknown'])
    expect(session.findings[0]!.matches[0]!.keyId).toBe(mine.key.id)
    expect(session.findings[2]!.masked).toBe(`mqu_live_...${unknown.slice(-4)}`)

    const junk = ok<TriageSession>(await call('triage.start', { text: 'hello world, sk_live_abc123 and a uuid 0b6f…' }))
    expect(junk.notAKey).toBe(true)
    expect(junk.findings).toEqual([])
  })

  it('the tenant’s own admin key is recognised, and says so', async () => {
    const admin = sandbox.tenants[1]!.admin_key
    const session = await paste(admin, [admin])
    const [f] = session.findings
    expect(f!.result).toBe('exact')
    expect(f!.matches[0]).toMatchObject({ adminKey: true, tenant: { id: dev } })
    ok(await call('triage.close', { sessionId: session.sessionId }))
  })

  it('check validity: valid while live, journaled without the key', async () => {
    const { plaintext } = await createdOutsideAndSynced(0, 'check-me', ['alerts:read'])
    const session = await paste(plaintext, [plaintext])
    const [f] = session.findings
    const verdict = ok<ChannelOutput<'triage.check'>>(await call('triage.check', { sessionId: session.sessionId, ref: f!.ref, tenant: staging }))
    expect(verdict.verdict).toBe('valid')
    expect(verdict.httpStatus).toBe(403)
    const journal = ok<ChannelOutput<'journal.list'>>(await call('journal.list', { actions: ['leak.check'] }))
    expect(journal.entries[0]).toMatchObject({ action: 'leak.check', tenantId: staging, keyPreview: f!.masked })
    expect(journal.entries[0]!.detail).toMatch(/^valid: /)
    // A tenant main did not match the key to is refused: the renderer cannot aim the key elsewhere.
    const elsewhere = await call('triage.check', { sessionId: session.sessionId, ref: f!.ref, tenant: dev })
    expect(!elsewhere.ok && elsewhere.error.code).toBe('NOT_FOUND')
    // Closed: main forgets the key.
    ok(await call('triage.close', { sessionId: session.sessionId }))
    const gone = await call('triage.check', { sessionId: session.sessionId, ref: f!.ref, tenant: staging })
    expect(!gone.ok && gone.error.code).toBe('NOT_FOUND')
  })

  it('contain: replacement with the same scopes, revoke with "leak: <where>", rejection recorded as proof, one incident', async () => {
    const leaked = await createdByKeyDesk(staging, 'leaky-service', ['decisions:evaluate', 'alerts:read'])
    const session = await paste(leaked.plaintext, [leaked.plaintext])
    const [f] = session.findings
    const out = ok<ChannelOutput<'triage.contain'>>(
      await call('triage.contain', {
        sessionId: session.sessionId,
        ref: f!.ref,
        tenant: staging,
        keyId: leaked.key.id,
        where: 'github.com/acme/app commit 3f2c',
        replace: true
      })
    )
    expect(out.revoked?.revoked_at).not.toBeNull()
    expect(out.after.verdict).toBe('rejected')
    expect(out.replacement?.key.scopes).toEqual(['decisions:evaluate', 'alerts:read'])
    // The replacement's plaintext waits in a reveal slot for the copy-once dialog.
    const { plaintext: fresh } = ok<{ plaintext: string }>(await call('secrets.reveal', { revealId: out.replacement!.revealId }))
    expect(fresh).not.toBe(leaked.plaintext)
    // MeshQu itself says the leaked key is dead.
    const res = await fetch(`${sandbox.url}/v1/api-keys`, {
      headers: { authorization: `Bearer ${leaked.plaintext}`, 'x-meshqu-tenant-id': sandbox.tenants[0]!.id }
    })
    expect(res.status).toBe(401)
    const journal = ok<ChannelOutput<'journal.list'>>(await call('journal.list', { tenant: staging }))
    const revoke = journal.entries.find((e) => e.action === 'key.revoke' && e.keyId === leaked.key.id)
    expect(revoke?.reason).toBe('leak: github.com/acme/app commit 3f2c')
    const incidents = journal.entries.filter((e) => e.action === 'leak.contain' && e.keyId === leaked.key.id)
    expect(incidents).toHaveLength(1)
    expect(incidents[0]!.seq).toBe(out.incidentSeq)
    expect(incidents[0]!.detail).toMatch(
      /Found .* in github\.com\/acme\/app commit 3f2c\. Replaced by leaky-service .* Revoked .* First seen rejected /
    )
    // Exportable with the journal.
    const exported = ok<ChannelOutput<'journal.export'>>(await call('journal.export', { format: 'csv', actions: ['leak.contain'] }))
    expect(exported.content).toContain('First seen rejected')
    // The still-presented watch keeps it in view: the leaked key presented after its revoke is marked.
    const presented = ok<ChannelOutput<'radar.presented'>>(await call('radar.presented', { tenant: staging }))
    const row = presented.tenants.find((t) => t.tenant === staging)!.keys.find((k) => k.keyId === leaked.key.id)
    expect(row).toMatchObject({ status: 'revoked', leaked: true })
    // Triaged again, the key shows revoked.
    const again = await paste(leaked.plaintext, [leaked.plaintext])
    expect(again.findings[0]!.matches[0]!.key!.status).toBe('revoked')
  })

  it('a Contain whose revoke failed, tried again, makes no second replacement: the first is handed back', async () => {
    const leaked = await createdByKeyDesk(dev, 'retried-leak', ['alerts:read'])
    const session = await paste(leaked.plaintext, [leaked.plaintext])
    const input = { sessionId: session.sessionId, ref: session.findings[0]!.ref, tenant: dev, keyId: leaked.key.id, where: 'pastebin', replace: true }
    const named = async () =>
      ok<{ keys: ApiKey[] }>(await call('keys.listAll', { tenant: dev })).keys.filter((k) => k.name === 'retried-leak' && k.id !== leaked.key.id)
    refuseDeletes = true
    try {
      const failed = await call('triage.contain', input)
      expect(failed.ok).toBe(false)
    } finally {
      refuseDeletes = false
    }
    expect(await named()).toHaveLength(1)
    const out = ok<ChannelOutput<'triage.contain'>>(await call('triage.contain', input))
    expect(out.revoked?.revoked_at).not.toBeNull()
    const replacements = await named()
    expect(replacements).toHaveLength(1)
    expect(out.replacement?.key.id).toBe(replacements[0]!.id)
  })

  it('contain on a read-only tenant needs an unlock with its reason', async () => {
    const t = sandbox.tenants[2]!
    const locked = ok<{ id: string }>(
      await call('tenants.add', {
        label: 'triage-locked',
        tenantId: t.id,
        baseUrl: sandbox.url,
        environment: 'staging',
        level: 'read-only',
        adminKey: t.admin_key
      })
    ).id
    ok(await call('keys.listAll', { tenant: locked }))
    const { key, plaintext } = await outsideKey(2, 'locked-leak', ['alerts:read'])
    ok(await call('keys.listAll', { tenant: locked }))
    const session = await paste(plaintext, [plaintext])
    const f = session.findings[0]!
    const input = { sessionId: session.sessionId, ref: f.ref, tenant: locked, keyId: key.id, where: 'support ticket 118', replace: false }
    const refused = await call('triage.contain', input)
    expect(!refused.ok && refused.error.code).toBe('READ_ONLY')
    ok(await call('unlock.start', { tenants: [locked], reason: 'leak: support ticket 118', minutes: 5 }))
    const out = ok<ChannelOutput<'triage.contain'>>(await call('triage.contain', input))
    expect(out.replacement).toBeNull()
    expect(out.after.verdict).toBe('rejected')
  })

  it('a folder of 10,000 small files is scanned with progress, and a scan can be cancelled', async () => {
    const root = mkdtempSync(join(tmpdir(), 'keydesk-triage-scan-'))
    const inside = await createdByKeyDesk(dev, 'in-a-file', ['alerts:read'])
    pasted.push(inside.plaintext)
    for (let d = 0; d < 100; d++) {
      const dir = join(root, `d${d}`)
      mkdirSync(dir)
      for (let i = 0; i < 100; i++) writeFileSync(join(dir, `f${i}.txt`), `line ${d}/${i}\nnothing here\n`)
    }
    writeFileSync(join(root, 'd42', 'f7.txt'), `MESHQU_KEY=${inside.plaintext}\n`)
    writeFileSync(join(root, 'image.bin'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]))
    writeFileSync(join(root, 'huge.log'), Buffer.alloc(3 * 1024 * 1024, 0x61))
    const heapBefore = process.memoryUsage().heapUsed

    let scan = ok<TriageScan>(await call('triage.scan', { path: root }))
    const seen: number[] = []
    while (scan.state === 'running') {
      seen.push(scan.filesRead)
      await new Promise((r) => setTimeout(r, 20))
      scan = ok<TriageScan>(await call('triage.scanStatus', { scanId: scan.scanId }))
    }
    expect(scan.state).toBe('done')
    expect(seen.some((n) => n > 0 && n < 10_000)).toBe(true)
    expect(scan.filesRead).toBe(10_000)
    expect(scan.skippedBinary).toBe(1)
    expect(scan.skippedLarge).toBe(1)
    expect(scan.session!.findings).toHaveLength(1)
    expect(scan.session!.findings[0]).toMatchObject({ result: 'exact', foundIn: join('d42', 'f7.txt') })
    expect(scan.session!.findings[0]!.matches[0]!.keyId).toBe(inside.key.id)
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024)

    const started = ok<TriageScan>(await call('triage.scan', { path: root }))
    ok(await call('triage.scanCancel', { scanId: started.scanId }))
    let cancelled = started
    while (cancelled.state === 'running') {
      await new Promise((r) => setTimeout(r, 10))
      cancelled = ok<TriageScan>(await call('triage.scanStatus', { scanId: started.scanId }))
    }
    expect(cancelled.state).toBe('cancelled')
    expect(cancelled.filesRead).toBeLessThan(10_000)
    expect(cancelled.session).toBeNull()
  })

  it('no pasted key is anywhere: not in a reply, a log line or a file of the data dir', async () => {
    expect(pasted.length).toBeGreaterThanOrEqual(6)
    const files: string[] = []
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name)
        if (statSync(p).isDirectory()) walk(p)
        else files.push(p)
      }
    }
    walk(dataDir)
    expect(files.length).toBeGreaterThan(0)
    const texts = [...replies, ...logLines, ...files.map((p) => readFileSync(p).toString('latin1'))]
    for (const key of new Set(pasted)) {
      const body = key.slice(key.indexOf('_', 4) + 1)
      for (const t of texts) {
        expect(t.includes(key)).toBe(false)
        expect(t.includes(body)).toBe(false)
      }
    }
  })
})

async function createdOutsideAndSynced(i: number, name: string, scopes: string[]) {
  const made = await outsideKey(i, name, scopes)
  ok(await call('keys.listAll', { tenant: i === 0 ? staging : dev }))
  return made
}
