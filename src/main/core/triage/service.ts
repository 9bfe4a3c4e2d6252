import { randomUUID } from 'node:crypto'
import type { TenantProfile } from '../../../shared/tenants'
import type { TriageContained, TriageFinding, TriageScan, TriageSession, Validity } from '../../../shared/triage'
import { CoreError } from '../errors'
import type { Journal } from '../journal/journal'
import type { Logger } from '../log'
import type { FleetStore } from '../store/fleet-store'
import type { ProfileStore } from '../tenants/profile-store'
import type { WriteGuard } from '../tenants/write-guard'
import type { KeyCreator } from '../writes/create-key'
import type { KeyRevoker } from '../writes/revoke-key'
import { extractKeys } from './extract'
import { matchKeys, type MatchDeps } from './match'
import { scanPath, type ScanProgress } from './scan'
import type { TriageSessions } from './sessions'
import { checkValidity } from './validity'

export interface TriageDeps extends MatchDeps {
  store: MatchDeps['store'] & Pick<FleetStore, 'keyById'>
  profiles: Pick<ProfileStore, 'list' | 'get'>
  guard: Pick<WriteGuard, 'levelFor' | 'assertWritable'>
  sessions: TriageSessions
  journal: Pick<Journal, 'record'>
  create: KeyCreator
  revoke: KeyRevoker
  fetch: typeof fetch
  timeoutMs: number
  log: Logger
}

/** Finished scans are kept for their status until this many newer ones exist. */
const SCANS_KEPT = 5
const iso = (ms: number) => new Date(ms).toISOString()

/**
 * Leak triage: "whose key is this?" for pasted text or a scanned folder, a validity check per
 * key, and Contain (replacement, revoke, check again, one incident in the journal). The pasted
 * keys stay in main (sessions.ts); every reply names them by ref and masked preview only.
 */
export function createTriage(d: TriageDeps) {
  const foundAt = new Map<string, number>()
  /** Replacements a session's Contain made, by session, tenant and key: kept for a retry, dropped with the session. */
  const made = new Map<string, NonNullable<TriageContained['replacement']>>()
  const scans = new Map<string, { view: TriageScan; progress: ScanProgress; abort: AbortController }>()

  async function openSession(keys: { key: string; foundIn: string | null }[], more: number): Promise<TriageSession> {
    const { sessionId, refs, expiresAt } = d.sessions.open(keys.map((k) => k.key))
    foundAt.set(sessionId, d.now())
    try {
      const matched = await matchKeys(
        d,
        keys.map((k, i) => ({ ref: refs[i]!, key: k.key }))
      )
      const findings: TriageFinding[] = matched.map((f, i) => ({ ...f, foundIn: keys[i]!.foundIn }))
      return { sessionId, findings, notAKey: keys.length === 0, more, expiresAt }
    } catch (err) {
      close(sessionId)
      throw err
    }
  }

  function close(sessionId: string): boolean {
    foundAt.delete(sessionId)
    for (const k of [...made.keys()]) if (k.startsWith(`${sessionId}\n`)) made.delete(k)
    return d.sessions.close(sessionId)
  }

  /** The tenant and key the renderer names, checked against what main itself matched for this key. */
  async function matchOf(sessionId: string, ref: string, tenant: string, keyId?: string) {
    const key = d.sessions.key(sessionId, ref)
    const [finding] = await matchKeys(d, [{ ref, key }])
    const match = finding?.matches.find((m) => m.tenant.id === tenant && (keyId === undefined || m.keyId === keyId))
    if (!match) throw new CoreError('NOT_FOUND', 'This key is not one of the keys KeyDesk matched for that tenant. Triage it again.')
    const profile = await d.profiles.get(tenant)
    if (!profile) throw new CoreError('NOT_FOUND', 'This tenant was removed.')
    return { key, match, profile, masked: finding!.masked }
  }

  const validity = (profile: TenantProfile, key: string) => checkValidity({ fetch: d.fetch, now: d.now, timeoutMs: d.timeoutMs }, profile, key)

  return {
    async start(text: string): Promise<TriageSession> {
      const { keys, more } = extractKeys(text)
      return openSession(
        keys.map((key) => ({ key, foundIn: null })),
        more
      )
    },

    close,

    /** One request with the leaked key to the tenant it may be from; journaled without the key. */
    async check(sessionId: string, ref: string, tenant: string): Promise<Validity> {
      const { key, match, profile, masked } = await matchOf(sessionId, ref, tenant)
      const result = await validity(profile, key)
      await d.journal.record({
        tenant,
        action: 'leak.check',
        outcome: 'ok',
        key: { id: match.keyId || null, name: match.key?.name ?? null, preview: match.key?.preview ?? masked },
        detail: `${result.verdict}: ${result.sentence}`
      })
      return result
    },

    /**
     * Contain in one flow: a replacement with the same scopes (optional; its plaintext in a reveal
     * slot for the copy-once dialog), the leaked key revoked through the one revoke routine with the
     * reason "leak: <where>", a validity check again (rejected is the proof), and one incident entry.
     */
    async contain(r: { sessionId: string; ref: string; tenant: string; keyId: string; where: string; replace: boolean }): Promise<TriageContained> {
      const { key, match, profile, masked } = await matchOf(r.sessionId, r.ref, r.tenant, r.keyId)
      if (!r.keyId)
        throw new CoreError(
          'NOT_FOUND',
          'KeyDesk does not hold this key in the tenant’s list, so it cannot revoke it. Sync the tenant and triage again.'
        )
      await d.guard.assertWritable([r.tenant])
      const reason = `leak: ${r.where}`
      const stored = await d.store.keyById(r.tenant, r.keyId)
      const name = stored?.name ?? match.key?.name ?? r.keyId
      const preview = stored?.key_preview ?? match.key?.preview ?? masked
      // A Contain tried again after its revoke failed hands back the replacement it already made
      // (its reveal slot, while it lasts) rather than making a second key.
      const madeKey = `${r.sessionId}\n${r.tenant}\n${r.keyId}`
      let replacement: TriageContained['replacement'] = r.replace ? (made.get(madeKey) ?? null) : null
      if (r.replace && !replacement) {
        if (!stored)
          throw new CoreError('NOT_FOUND', 'KeyDesk does not hold this key’s scopes, so it cannot make a replacement. Contain it without one.')
        const expires = stored.expires_at && Date.parse(stored.expires_at) > d.now() ? stored.expires_at : null
        const created = await d.create({
          tenant: r.tenant,
          key: { name: stored.name, scopes: stored.scopes as never, expires_at: expires },
          reason,
          detail: `Replaces the leaked key ${preview} (${stored.id}).`
        })
        replacement = { key: created.key, revealId: created.revealId, revealExpiresAt: created.revealExpiresAt }
        made.set(madeKey, replacement)
      }
      const revoked = await d.revoke({
        tenant: r.tenant,
        id: r.keyId,
        name,
        preview,
        priority: 'interactive',
        entry: { action: 'key.revoke', reason, detail: `Leaked key, found ${r.where}.` }
      })
      const revokedAt = d.now()
      const after = await validity(profile, key)
      const found = foundAt.get(r.sessionId) ?? revokedAt
      const detail = [
        `Found ${iso(found)} in ${r.where}.`,
        replacement ? `Replaced by ${replacement.key.name} (${replacement.key.id}, ${replacement.key.key_preview}).` : 'Not replaced.',
        `Revoked ${iso(revokedAt)}.`,
        after.verdict === 'rejected' ? `First seen rejected ${iso(after.at)}.` : `Not yet seen rejected (${after.verdict}): ${after.sentence}`,
        match.adminKey ? 'It was the tenant’s own admin key.' : ''
      ]
        .filter(Boolean)
        .join(' ')
      const entry = await d.journal.record({
        tenant: r.tenant,
        action: 'leak.contain',
        outcome: 'ok',
        key: { id: r.keyId, name, preview },
        reason,
        detail
      })
      return { replacement, revoked: revoked.key, after, incidentSeq: entry?.seq ?? null }
    },

    /** Starts reading a file or folder; its status is polled (scanStatus) and it can be cancelled. */
    startScan(root: string): TriageScan {
      const scanId = randomUUID()
      const progress: ScanProgress = { filesRead: 0, bytesRead: 0, skippedBinary: 0, skippedLarge: 0, skippedOther: 0, keysFound: 0 }
      const view: TriageScan = { scanId, state: 'running', root, ...progress, session: null, error: null }
      const abort = new AbortController()
      scans.set(scanId, { view, progress, abort })
      for (const id of [...scans.keys()].slice(0, Math.max(0, scans.size - SCANS_KEPT))) {
        if (scans.get(id)!.view.state !== 'running') scans.delete(id)
      }
      void (async () => {
        try {
          const result = await scanPath(root, progress, abort.signal)
          if (abort.signal.aborted) {
            view.state = 'cancelled'
            return
          }
          view.session = await openSession(result.keys, result.more)
          view.state = 'done'
        } catch (err) {
          view.state = 'failed'
          const code = (err as NodeJS.ErrnoException)?.code
          view.error = code === 'ENOENT' ? 'There is no file or folder at that path.' : 'The file or folder could not be read.'
          d.log.warn('triage scan failed', err)
        }
      })()
      return status(scanId)
    },
    scanStatus: (scanId: string) => status(scanId),
    cancelScan(scanId: string): TriageScan {
      scans.get(scanId)?.abort.abort()
      return status(scanId)
    },

    dispose() {
      for (const s of scans.values()) s.abort.abort()
      d.sessions.dispose()
    }
  }

  function status(scanId: string): TriageScan {
    const s = scans.get(scanId)
    if (!s) throw new CoreError('NOT_FOUND', 'This scan is no longer known; start it again.')
    return { ...s.view, ...s.progress, session: s.view.session }
  }
}

export type Triage = ReturnType<typeof createTriage>
