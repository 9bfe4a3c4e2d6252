import { randomUUID } from 'node:crypto'
import {
  CAMPAIGN_KEY_STATES,
  distinctName,
  LAST_USED_GRANULARITY_MS,
  replacementName,
  type Campaign,
  type CampaignDetail,
  type CampaignKey,
  type CampaignKeyState,
  type CampaignStartInput
} from '../../../shared/campaigns'
import type { ErrorCode } from '../../../shared/errors'
import type { ApiKey } from '../../../shared/meshqu'
import type { Scope } from '../../../shared/scopes'
import { isRevoked } from '../../../shared/key-view'
import { CoreError, toAppError } from '../errors'
import type { Journal } from '../journal/journal'
import type { Logger } from '../log'
import type { RevealSlots } from '../secrets/reveal-slots'
import type { FleetStore } from '../store/fleet-store'
import type { CampaignKeyRow, CampaignRow } from '../store/campaign-table'
import type { ProfileStore } from '../tenants/profile-store'
import type { TenantSessions } from '../tenants/sessions'
import type { WriteGuard } from '../tenants/write-guard'
import type { KeyCreator } from '../writes/create-key'
import type { KeyRevoker } from '../writes/revoke-key'
import { decide } from './decide'
import type { PacingShare } from './pacing-share'

export interface CampaignDeps {
  store: FleetStore
  sessions: TenantSessions
  profiles: ProfileStore
  journal: Journal
  log: Logger
  /** The campaign's clock: quiet windows, deadlines and leases are counted on it (tests run them in ms). */
  now: () => number
  create: KeyCreator
  revoke: KeyRevoker
  slots: RevealSlots
  guard: Pick<WriteGuard, 'locked' | 'assertWritable'>
  pacing: PacingShare
  /** How fine-grained `last_used_at` is assumed to be (default LAST_USED_GRANULARITY_MS). */
  granularityMs?: number
  /** The longest a waiting key goes unchecked (default an hour; never less than the granularity). */
  checkEveryMs?: number
  /** Real-time interval between the runner's passes (default 15 s). */
  tickMs?: number
  /** How long a create or revoke claim holds without renewal (default 2 min, on `now`). */
  leaseMs?: number
  /** How long MeshQu's client waits for an answer: a create whose answer was lost is not looked for sooner (default 10 s). */
  requestTimeoutMs?: number
  /** The first wait after a create or revoke failed for a while (offline, read-only, locked); it doubles with each failure in a row (default a minute, on `now`). */
  backoffMs?: number
  /** Tests: called after each write, before its outcome is recorded; throwing there is a crash. */
  afterWrite?: (step: 'created' | 'revoked', row: CampaignKeyRow) => void
}

/** Failures tried again at a later pass: MeshQu unreachable or busy, the keychain or the tenant locked. */
const TRANSIENT: ReadonlySet<ErrorCode> = new Set([
  'OFFLINE',
  'TIMEOUT',
  'UPSTREAM',
  'RATE_LIMITED',
  'KEYCHAIN_UNAVAILABLE',
  'SETTINGS_CHANGED',
  'READ_ONLY'
])
/** A key found by name after a lost answer must have been created after the create was sent (clock skew allowed). */
const SKEW_MS = 5 * 60_000
const DAY = 86_400_000
/** The longest wait between tries of a step that keeps failing for a while. */
const MAX_BACKOFF_MS = 30 * 60_000
/** What a step tells its lane: `later` ends the lane's pass (MeshQu, the keychain or the tenant is not ready). */
type StepOutcome = 'done' | 'later'
/** A crash of this kind of step (a test's afterWrite) leaves the row claimed, as a killed process would. */
export class CampaignCrash extends Error {}

/** Plans, creates, watches and revokes: one runner per KeyDesk, with a lane per tenant. */
export function createCampaigns(d: CampaignDeps) {
  const granularity = d.granularityMs ?? LAST_USED_GRANULARITY_MS
  const checkEvery = Math.max(granularity, d.checkEveryMs ?? 60 * 60_000)
  const leaseMs = d.leaseMs ?? 2 * 60_000
  const backoffMs = d.backoffMs ?? 60_000
  /**
   * A create whose answer was lost may still be in MeshQu's hands (not listed yet): its row stays
   * claimed this long before the key is looked for by name, at least as long as the client waits.
   */
  const settleMs = Math.max(leaseMs, d.requestTimeoutMs ?? 10_000)
  /** Failures in a row of each row's create or revoke, by row id: memory only (a restart tries at once). */
  const failures = new Map<number, number>()
  /** When a step that just failed for a while may be tried again: a minute, then two, four… */
  function retryAt(rowId: number): number {
    const n = (failures.get(rowId) ?? 0) + 1
    failures.set(rowId, n)
    return d.now() + Math.min(MAX_BACKOFF_MS, backoffMs * 2 ** (n - 1))
  }
  const owner = `${process.pid}-${randomUUID()}`
  /** The reveal slot of each replacement whose plaintext is still held, by row id: memory only. */
  const reveals = new Map<number, string>()
  const lanes = new Map<string, Promise<void>>()
  /**
   * Rows a step outside the lanes (revoke anyway) is working on: the lanes leave them alone, and
   * each pass renews their claim, so a long wait (pacing, a 429) never lets another take them.
   */
  const outside = new Set<number>()
  const stopping = new AbortController()
  let timer: ReturnType<typeof setInterval> | undefined
  let stopped = false
  let crashed = false

  const table = () => d.store.campaigns

  /** Extends this runner's claim on a row; null when the row is no longer its own to work on. */
  const renew = (rowId: number, from: CampaignKeyState[]) => table().transition(rowId, { from, owner }, { lease_until: d.now() + leaseMs })

  // ---- views ---------------------------------------------------------------------------------

  function revealOf(rowId: number): string | null {
    const id = reveals.get(rowId)
    if (!id) return null
    try {
      d.slots.reveal(id)
      return id
    } catch {
      reveals.delete(rowId)
      return null
    }
  }

  function keyView(r: CampaignKeyRow): CampaignKey {
    return {
      id: r.id,
      campaignId: r.campaign_id,
      tenant: r.tenant,
      oldKeyId: r.old_key_id,
      oldName: r.old_name,
      oldPreview: r.old_preview,
      oldLastUsedAt: r.old_last_used_at,
      oldUsesSeen: r.old_uses_seen,
      replacementName: r.replacement_name,
      newKeyId: r.new_key_id,
      newPreview: r.new_preview,
      newFirstUsedAt: r.new_first_used_at,
      state: r.state,
      heldReason: r.held_reason,
      revealId: r.state === 'created' ? revealOf(r.id) : null,
      handedOverAt: r.handed_over_at,
      deadlineAt: r.deadline_at,
      nextCheckAt: r.next_check_at,
      lastCheckAt: r.last_check_at,
      evidence: r.evidence,
      lastErrorCode: r.last_error_code,
      lastError: r.last_error
    }
  }

  function campaignView(c: CampaignRow, rows: CampaignKeyRow[]): Campaign {
    const counts = Object.fromEntries(CAMPAIGN_KEY_STATES.map((s) => [s, 0])) as Record<CampaignKeyState, number>
    const tenants = new Map<string, { tenant: string; total: number; revoked: number; held: number }>()
    let notHandedOver = 0
    for (const r of rows) {
      counts[r.state]++
      const t = tenants.get(r.tenant) ?? { tenant: r.tenant, total: 0, revoked: 0, held: 0 }
      t.total++
      if (r.state === 'revoked') t.revoked++
      if (r.state === 'held') t.held++
      tenants.set(r.tenant, t)
      if (r.state === 'created' && !revealOf(r.id)) notHandedOver++
    }
    return {
      id: c.id,
      createdAt: c.created_at,
      state: c.state,
      namePattern: c.name_pattern,
      expiresInDays: c.expires_in_days,
      quietWindowMs: c.quiet_ms,
      deadlineAt: c.deadline_at,
      pacingShare: c.pacing_share,
      reason: c.reason,
      counts,
      tenants: [...tenants.values()],
      notHandedOver
    }
  }

  async function mustGet(campaignId: string): Promise<CampaignRow> {
    const c = await table().get(campaignId)
    if (!c) throw new CoreError('NOT_FOUND', 'That campaign is no longer known.')
    return c
  }

  async function mustKey(campaignId: string, rowId: number): Promise<CampaignKeyRow> {
    const r = await table().key(rowId)
    if (!r || r.campaign_id !== campaignId) throw new CoreError('NOT_FOUND', 'That key is not in this campaign.')
    return r
  }

  // ---- MeshQu reads, paced by the campaign's share ---------------------------------------------

  async function paced<T>(tenant: string, share: number, call: () => Promise<T>): Promise<T> {
    await d.pacing.take(tenant, share, stopping.signal)
    return call()
  }

  /** One key as MeshQu has it now; null when it does not know the id (gone). */
  async function readKey(tenant: string, share: number, id: string): Promise<ApiKey | null> {
    const { client } = await d.sessions.open(tenant)
    try {
      return (await paced(tenant, share, () => client.getKey(id, { kind: 'background', signal: stopping.signal }))).data.key
    } catch (err) {
      const e = toAppError(err)
      if (e.code === 'NOT_FOUND' && e.status === 404) return null
      throw err
    }
  }

  /** Every key of the tenant, page by page (cheaper than a GET per key when many are due). */
  async function listKeys(tenant: string, share: number): Promise<Map<string, ApiKey>> {
    const { client } = await d.sessions.open(tenant)
    const out = new Map<string, ApiKey>()
    for (let offset = 0, pages = 0; pages < 250; pages++) {
      const page = await paced(tenant, share, () =>
        client.listKeys({ limit: 500, offset, status: 'all' }, { kind: 'background', signal: stopping.signal })
      )
      for (const k of page.data.data) out.set(k.id, k)
      offset += page.data.data.length
      if (!page.data.pagination.has_more || page.data.data.length === 0) break
    }
    return out
  }

  // ---- the steps ---------------------------------------------------------------------------------

  async function fail(row: CampaignKeyRow, from: CampaignKeyState[], code: ErrorCode, message: string) {
    await table().transition(
      row.id,
      { from, owner: row.owner ?? undefined },
      {
        state: 'failed',
        last_error_code: code,
        last_error: message,
        owner: null,
        lease_until: null,
        done_at: d.now()
      }
    )
  }

  /**
   * planned (or a create cut short) → created. The replacement's name is decided when the row is
   * planned and its intent time written before the POST, so a KeyDesk that died before it could
   * record the answer finds the key by name instead of creating a second one.
   */
  async function createStep(c: CampaignRow, listed: CampaignKeyRow): Promise<StepOutcome> {
    const now = d.now()
    const resumed = listed.state === 'creating'
    const row = await table().transition(
      listed.id,
      { from: [listed.state], unclaimedAt: now },
      resumed ? { owner, lease_until: now + leaseMs } : { state: 'creating', owner, lease_until: now + leaseMs, intent_at: now }
    )
    if (!row) return 'done'
    if (row.intent_at !== null && resumed) {
      // The last attempt's answer was lost: its key may exist. Adopt it (its plaintext is gone, so
      // it is listed as not handed over) rather than create a second one.
      const keys = await listKeys(row.tenant, c.pacing_share)
      // A key of that name another row already holds is that row's replacement, never this one's.
      const held = new Set(await table().replacementsOf(row.tenant))
      const found = [...keys.values()].find(
        (k) =>
          !held.has(k.id) &&
          k.name === row.replacement_name &&
          Date.parse(k.created_at) >= row.intent_at! - SKEW_MS &&
          !isRevoked(k, d.now()) &&
          k.id !== row.old_key_id
      )
      if (found) {
        await table().transition(
          row.id,
          { from: ['creating'], owner },
          { state: 'created', new_key_id: found.id, new_preview: found.key_preview, owner: null, lease_until: null, next_check_at: null }
        )
        failures.delete(row.id)
        return 'done'
      }
      await table().transition(row.id, { from: ['creating'], owner }, { intent_at: d.now() })
    }
    let created
    try {
      await d.guard.assertWritable([row.tenant])
      const expiresAt = c.expires_in_days === null ? null : new Date(d.now() + c.expires_in_days * DAY).toISOString()
      await d.pacing.take(row.tenant, c.pacing_share, stopping.signal)
      created = await d.create({
        tenant: row.tenant,
        key: { name: row.replacement_name, scopes: JSON.parse(row.scopes) as Scope[], expires_at: expiresAt },
        reason: c.reason,
        detail: `Replacement of "${row.old_name}" (${row.old_key_id}) in rotation campaign ${c.id}.`,
        priority: 'background',
        signal: stopping.signal
      })
    } catch (err) {
      const e = toAppError(err)
      const unknown = err instanceof CoreError && err.extra.outcome === 'unknown'
      if (unknown) {
        // It may exist, or be on its way: the row stays claimed until MeshQu has surely listed it,
        // then the next attempt looks for it by name first.
        await table().transition(
          row.id,
          { from: ['creating'], owner },
          { lease_until: d.now() + settleMs, last_error_code: e.code, last_error: e.message }
        )
        return 'later'
      } else if (stopping.signal.aborted) {
        // Stopped before an answer could matter: the next start looks for it by name first.
        await table().transition(
          row.id,
          { from: ['creating'], owner },
          { owner: null, lease_until: null, last_error_code: e.code, last_error: e.message }
        )
      } else if (TRANSIENT.has(e.code)) {
        // Not sent: planned again, not before the backoff (a planned row's next_check_at is when it is due).
        await table().transition(
          row.id,
          { from: ['creating'], owner },
          {
            state: 'planned',
            owner: null,
            lease_until: null,
            intent_at: null,
            next_check_at: retryAt(row.id),
            last_error_code: e.code,
            last_error: e.message
          }
        )
        return 'later'
      } else {
        await fail(row, ['creating'], e.code, e.message)
      }
      return 'done'
    }
    failures.delete(row.id)
    if (d.afterWrite) {
      try {
        d.afterWrite('created', row)
      } catch (err) {
        crashed = true
        d.slots.discard(created.revealId)
        throw err
      }
    }
    reveals.set(row.id, created.revealId)
    const done = await table().transition(
      row.id,
      { from: ['creating'], owner },
      {
        state: 'created',
        new_key_id: created.key.id,
        new_preview: created.key.key_preview,
        owner: null,
        lease_until: null,
        next_check_at: null,
        last_error_code: null,
        last_error: null
      }
    )
    if (!done) d.log.warn('campaign: a replacement was created but its row had moved on')
    // Cancelled while this create was in flight: the replacement is kept and listed, nothing more.
    if (done && (await table().get(c.id))?.state === 'cancelled') {
      await table().transition(row.id, { from: ['created'] }, { state: 'cancelled', done_at: d.now() })
    }
    return 'done'
  }

  /** Reads the evidence of every due key of a tenant with the fewest requests, then decides each. */
  async function checkStep(c: CampaignRow, due: CampaignKeyRow[]): Promise<StepOutcome> {
    const tenant = due[0]!.tenant
    const known = (await d.store.headOf(tenant, 0, d.now()).catch(() => null))?.total ?? 0
    const pages = Math.max(1, Math.ceil(known / 500))
    let listed: Map<string, ApiKey> | null = null
    if (due.length * 2 > pages) listed = await listKeys(tenant, c.pacing_share)
    for (const row of due) {
      if (stopped) return 'done'
      const oldKey = listed ? (listed.get(row.old_key_id) ?? null) : await readKey(tenant, c.pacing_share, row.old_key_id)
      const newKey = !row.new_key_id ? null : listed ? (listed.get(row.new_key_id) ?? null) : await readKey(tenant, c.pacing_share, row.new_key_id)
      if ((await judge(c, row, oldKey, newKey)) === 'later') return 'later'
    }
    return 'done'
  }

  async function judge(c: CampaignRow, row: CampaignKeyRow, oldKey: ApiKey | null, newKey: ApiKey | null): Promise<StepOutcome> {
    const now = d.now()
    const oldLast = oldKey?.last_used_at ? Date.parse(oldKey.last_used_at) : null
    const moved = oldLast !== null && oldLast !== row.old_last_used_at && (row.old_last_used_at === null || oldLast > row.old_last_used_at)
    const newLast = newKey?.last_used_at ? Date.parse(newKey.last_used_at) : null
    const newFirst = row.new_first_used_at ?? newLast
    const decision = decide({
      now,
      oldLastUsedAt: oldLast ?? row.old_last_used_at,
      oldRevoked: oldKey === null || isRevoked(oldKey, now),
      newFirstUsedAt: newFirst,
      newGone: newKey === null || isRevoked(newKey, now),
      quietWindowMs: c.quiet_ms,
      deadlineAt: row.deadline_at,
      granularityMs: granularity,
      checkEveryMs: checkEvery
    })
    const seen = {
      old_last_used_at: oldLast ?? row.old_last_used_at,
      old_uses_seen: row.old_uses_seen + (moved ? 1 : 0),
      new_first_used_at: newFirst,
      last_check_at: now,
      evidence: decision.evidence
    }
    if (decision.kind === 'wait') {
      await table().transition(row.id, { from: ['waiting'] }, { ...seen, next_check_at: decision.nextCheckAt })
    } else if (decision.kind === 'already-revoked') {
      await table().transition(row.id, { from: ['waiting'] }, { ...seen, state: 'revoked', next_check_at: null, done_at: now })
    } else if (decision.kind === 'hold') {
      const held = await table().transition(
        row.id,
        { from: ['waiting'] },
        { ...seen, state: 'held', held_reason: decision.reason, next_check_at: null }
      )
      if (held) {
        const why =
          decision.reason === 'still-in-use'
            ? `still in use (its last use moved ${held.old_uses_seen} times during the campaign)`
            : 'replacement unused'
        await d.journal.record({
          tenant: row.tenant,
          action: 'campaign.hold',
          outcome: 'ok',
          key: { id: row.old_key_id, name: row.old_name, preview: row.old_preview },
          reason: c.reason,
          detail: `Campaign ${c.id}: held at the deadline, ${why}: ${decision.evidence}.`
        })
      }
    } else {
      const claimed = await table().transition(
        row.id,
        { from: ['waiting'], unclaimedAt: now },
        { ...seen, state: 'revoking', owner, lease_until: now + leaseMs }
      )
      if (claimed) return revokeStep(c, claimed, `Campaign ${c.id}: ${decision.evidence}.`, c.reason)
    }
    return 'done'
  }

  /**
   * revoking → revoked through the one revoke routine, journaled with the evidence. A row found
   * revoking after a crash is read first: an old key already revoked is recorded, not revoked again.
   */
  async function revokeStep(c: CampaignRow, row: CampaignKeyRow, detail: string, reason: string | null, resumed = false): Promise<StepOutcome> {
    try {
      await d.guard.assertWritable([row.tenant])
      if (resumed) {
        const k = await readKey(row.tenant, c.pacing_share, row.old_key_id)
        if (k === null || isRevoked(k, d.now())) {
          await table().transition(row.id, { from: ['revoking'], owner }, { state: 'revoked', owner: null, lease_until: null, done_at: d.now() })
          failures.delete(row.id)
          return 'done'
        }
      }
      await d.pacing.take(row.tenant, c.pacing_share, stopping.signal)
      // The wait may have outlasted the claim: revoke only a row still this runner's, claimed afresh.
      if (!(await renew(row.id, ['revoking']))) {
        d.log.warn('campaign: a revoke was left to another claim after its wait')
        return 'done'
      }
      await d.revoke({
        tenant: row.tenant,
        id: row.old_key_id,
        name: row.old_name,
        preview: row.old_preview,
        priority: 'background',
        entry: { action: 'campaign.revoke', reason, detail: row.evidence ? `${detail}` : detail },
        retrying: (e) => TRANSIENT.has(e.code) || stopping.signal.aborted,
        signal: stopping.signal
      })
    } catch (err) {
      const e = toAppError(err)
      if (TRANSIENT.has(e.code) || stopping.signal.aborted || (err instanceof CoreError && err.extra.outcome === 'unknown')) {
        // Tried again (read first) once this claim has run out: after the backoff, not at once.
        await table().transition(
          row.id,
          { from: ['revoking'], owner },
          { lease_until: retryAt(row.id), last_error_code: e.code, last_error: e.message }
        )
        return 'later'
      }
      await fail(row, ['revoking'], e.code, e.message)
      return 'done'
    }
    failures.delete(row.id)
    if (d.afterWrite) {
      try {
        d.afterWrite('revoked', row)
      } catch (err) {
        crashed = true
        throw err
      }
    }
    await table().transition(
      row.id,
      { from: ['revoking'], owner },
      {
        state: 'revoked',
        owner: null,
        lease_until: null,
        done_at: d.now(),
        next_check_at: null,
        last_error_code: null,
        last_error: null
      }
    )
    return 'done'
  }

  // ---- the runner ----------------------------------------------------------------------------------

  /**
   * One pass of a tenant's lane: each row is tried at most once, and a step that fails for a
   * while (offline, read-only, the keychain locked) ends the pass: its row waits out its backoff.
   */
  async function runLane(tenant: string) {
    const tried = new Set<number>()
    for (let round = 0; round < 10_000 && !stopped; round++) {
      const now = d.now()
      const rows = await table().active(tenant)
      const byCampaign = new Map<string, CampaignRow | null>()
      const campaignOf = async (id: string) => {
        if (!byCampaign.has(id)) byCampaign.set(id, await table().get(id))
        return byCampaign.get(id)!
      }
      const free = (r: CampaignKeyRow) =>
        !tried.has(r.id) && !outside.has(r.id) && (r.owner === null || r.lease_until === null || r.lease_until <= now)
      const dueNow = (r: CampaignKeyRow) => r.next_check_at === null || r.next_check_at <= now
      const create = rows.find((r) => ((r.state === 'planned' && dueNow(r)) || r.state === 'creating') && free(r))
      if (create) {
        tried.add(create.id)
        const c = await campaignOf(create.campaign_id)
        if (c && (await createStep(c, create)) === 'later') return
        continue
      }
      const revoking = rows.find((r) => r.state === 'revoking' && free(r))
      if (revoking) {
        tried.add(revoking.id)
        const c = await campaignOf(revoking.campaign_id)
        const claimed = c && (await table().transition(revoking.id, { from: ['revoking'], unclaimedAt: now }, { owner, lease_until: now + leaseMs }))
        if (c && claimed && (await revokeStep(c, claimed, `Campaign ${c.id}: ${claimed.evidence ?? 'resumed'}.`, c.reason, true)) === 'later') return
        continue
      }
      const due = rows.filter((r) => r.state === 'waiting' && dueNow(r) && !tried.has(r.id))
      if (!due.length) return
      const c = await campaignOf(due[0]!.campaign_id)
      if (!c) return
      const batch = due.filter((r) => r.campaign_id === c.id)
      for (const r of batch) tried.add(r.id)
      if ((await checkStep(c, batch)) === 'later') return
    }
  }

  async function finishDone() {
    for (const c of await table().list(200)) {
      if (c.state !== 'running') continue
      const rows = await table().keys(c.id)
      if (rows.every((r) => r.state === 'revoked' || r.state === 'cancelled' || r.state === 'failed')) await table().end(c.id, 'done', d.now())
    }
  }

  /** One pass: a lane per tenant with work, each running on its own. */
  async function pass() {
    if (stopped || crashed || d.store.state() === 'unavailable') return
    for (const id of outside) await renew(id, ['revoking'])
    for (const tenant of await table().tenants()) {
      if (lanes.has(tenant)) continue
      const lane = runLane(tenant)
        .catch((err) => {
          if (err instanceof CampaignCrash) crashed = true
          else if (!stopping.signal.aborted) d.log.warn('campaign: a tenant lane failed', err)
        })
        .finally(() => lanes.delete(tenant))
      lanes.set(tenant, lane)
    }
    await Promise.all(lanes.values())
    if (!crashed) await finishDone()
  }

  // ---- operations ------------------------------------------------------------------------------------

  return {
    start() {
      timer = setInterval(() => void pass().catch((err) => d.log.warn('campaign pass failed', err)), d.tickMs ?? 15_000)
      timer.unref?.()
      void pass().catch((err) => d.log.warn('campaign pass failed', err))
    },
    /** Runs a pass now; resolves when its lanes are done. */
    pass,

    async begin(input: Omit<Required<CampaignStartInput>, 'reason'> & { reason?: string }) {
      const now = d.now()
      const locked = await d.guard.locked(input.keys.map((k) => k.tenant))
      const lockedIds = new Set(locked.map((p) => p.id))
      const skipped: { tenant: string; tenantLabel: string; keyId: string; why: string }[] = []
      const planned = []
      // Unique within a tenant (a name is searched for in its own tenant only): the same name in two tenants is fine.
      const namesOf = new Map<string, Set<string>>()
      for (const ref of input.keys) {
        const profile = await d.profiles.get(ref.tenant)
        if (!profile) throw new CoreError('NOT_FOUND', 'A tenant of this selection is no longer in KeyDesk.')
        if (lockedIds.has(ref.tenant)) {
          skipped.push({
            tenant: ref.tenant,
            tenantLabel: profile.label,
            keyId: ref.keyId,
            why: `${profile.label} is read-only: unlock it to include its keys.`
          })
          continue
        }
        const key = await d.store.keyById(ref.tenant, ref.keyId)
        if (!key) throw new CoreError('NOT_FOUND', `A selected key is not in ${profile.label}'s list; refresh it and try again.`)
        if (isRevoked(key, now)) {
          skipped.push({ tenant: ref.tenant, tenantLabel: profile.label, keyId: ref.keyId, why: `"${key.name}" is already revoked.` })
          continue
        }
        const names = namesOf.get(ref.tenant) ?? new Set<string>()
        namesOf.set(ref.tenant, names)
        const name = distinctName(replacementName(input.namePattern, key.name, now), names)
        names.add(name)
        planned.push({
          tenant: ref.tenant,
          oldKeyId: key.id,
          oldName: key.name,
          oldPreview: key.key_preview,
          scopes: key.scopes,
          replacementName: name,
          oldLastUsedAt: key.last_used_at ? Date.parse(key.last_used_at) : null
        })
      }
      if (!planned.length) throw new CoreError('VALIDATION', 'None of the selected keys can be rotated: ' + skipped.map((s) => s.why).join(' '))
      const id = randomUUID()
      const { campaign, busy } = await table().create(
        {
          id,
          createdAt: now,
          namePattern: input.namePattern,
          expiresInDays: input.expiresInDays,
          quietMs: input.quietWindowMs,
          deadlineAt: now + input.deadlineMs,
          pacingShare: input.pacingShare,
          reason: input.reason ?? null
        },
        planned
      )
      for (const keyId of busy) {
        const p = planned.find((k) => k.oldKeyId === keyId)!
        skipped.push({
          tenant: p.tenant,
          tenantLabel: (await d.profiles.get(p.tenant))?.label ?? p.tenant,
          keyId,
          why: `"${p.oldName}" is already in a running campaign.`
        })
      }
      for (const tenant of new Set(planned.map((k) => k.tenant))) {
        const n = planned.filter((k) => k.tenant === tenant && !busy.includes(k.oldKeyId)).length
        if (!n) continue
        await d.journal.record({
          tenant,
          action: 'campaign.start',
          outcome: 'ok',
          reason: input.reason,
          detail: `Rotation campaign ${id}: ${n} key${n === 1 ? '' : 's'}; quiet window ${Math.round(input.quietWindowMs / 60_000)} min, deadline ${new Date(now + input.deadlineMs).toISOString()}.`
        })
      }
      void pass().catch((err) => d.log.warn('campaign pass failed', err))
      return { campaign: campaignView(campaign, await table().keys(id)), skipped }
    },

    async list(): Promise<Campaign[]> {
      const out: Campaign[] = []
      for (const c of await table().list(100)) out.push(campaignView(c, await table().keys(c.id)))
      return out
    },

    async detail(campaignId: string): Promise<CampaignDetail> {
      const c = await mustGet(campaignId)
      const rows = await table().keys(campaignId)
      return { campaign: campaignView(c, rows), keys: rows.map(keyView), now: d.now() }
    },

    /** "I have stored this key": the replacement is the operator's now; its plaintext leaves main, and the watch starts. */
    async handOver(campaignId: string, rowId: number) {
      const row = await mustKey(campaignId, rowId)
      const now = d.now()
      const done = await table().transition(
        row.id,
        { from: ['created'] },
        { state: 'waiting', handed_over_at: now, next_check_at: now + granularity }
      )
      if (!done) throw new CoreError('VALIDATION', `This key is ${row.state}, not waiting to be handed over.`)
      const slot = reveals.get(row.id)
      if (slot) d.slots.discard(slot)
      reveals.delete(row.id)
      return keyView(done)
    },

    /** The hand-over queue closed: the plaintexts not handed over are gone (those keys can be created again). */
    async closeQueue(campaignId: string) {
      let n = 0
      for (const r of await table().keys(campaignId)) {
        const slot = reveals.get(r.id)
        if (slot) {
          d.slots.discard(slot)
          reveals.delete(r.id)
          n++
        }
      }
      return n
    },

    /**
     * Creates again the replacements whose plaintext is gone before they were handed over. Each
     * such replacement nobody has used is revoked first (no one holds it), one used is kept.
     */
    async recreate(campaignId: string) {
      const c = await mustGet(campaignId)
      if (c.state !== 'running') throw new CoreError('VALIDATION', `This campaign is ${c.state}.`)
      let n = 0
      for (const r of await table().keys(campaignId)) {
        if (r.state !== 'created' || revealOf(r.id)) continue
        await d.guard.assertWritable([r.tenant])
        if (r.new_key_id) {
          const k = await readKey(r.tenant, c.pacing_share, r.new_key_id)
          if (k && !isRevoked(k, d.now()) && !k.last_used_at) {
            await d.revoke({
              tenant: r.tenant,
              id: k.id,
              name: k.name,
              preview: k.key_preview,
              priority: 'interactive',
              entry: {
                action: 'campaign.revoke',
                reason: c.reason,
                detail: `Campaign ${c.id}: replacement never handed over and never used; created again.`
              }
            })
          }
        }
        if (
          await table().transition(
            r.id,
            { from: ['created'] },
            { state: 'planned', new_key_id: null, new_preview: null, intent_at: null, next_check_at: null }
          )
        )
          n++
      }
      void pass().catch((err) => d.log.warn('campaign pass failed', err))
      return n
    },

    async cancel(campaignId: string) {
      const c = await mustGet(campaignId)
      const n = await table().cancel(campaignId, d.now())
      if (n < 0) throw new CoreError('VALIDATION', `This campaign is already ${c.state}.`)
      await this.closeQueue(campaignId)
      const rows = await table().keys(campaignId)
      for (const tenant of new Set(rows.map((r) => r.tenant))) {
        const kept = rows.filter((r) => r.tenant === tenant && r.new_key_id && r.state !== 'revoked').length
        await d.journal.record({
          tenant,
          action: 'campaign.cancel',
          outcome: 'ok',
          reason: c.reason,
          detail: `Rotation campaign ${c.id} cancelled; ${kept} replacement${kept === 1 ? '' : 's'} kept, no old key revoked by it from now on.`
        })
      }
      return campaignView((await table().get(campaignId))!, rows)
    },

    /** A held key: revoke it all the same, with the operator's typed confirmation and reason. */
    async revokeAnyway(campaignId: string, rowId: number, confirm: string, reason: string) {
      const c = await mustGet(campaignId)
      const row = await mustKey(campaignId, rowId)
      if (row.state !== 'held') throw new CoreError('VALIDATION', `This key is ${row.state}, not held.`)
      if (confirm.trim() !== row.old_name)
        throw new CoreError('VALIDATION', `Type the key's name, "${row.old_name}", to confirm.`, { fields: { confirm: 'Type the key name' } })
      await d.guard.assertWritable([row.tenant])
      const now = d.now()
      outside.add(row.id)
      try {
        const claimed = await table().transition(
          row.id,
          { from: ['held'], unclaimedAt: now },
          { state: 'revoking', owner, lease_until: now + leaseMs }
        )
        if (!claimed) throw new CoreError('VALIDATION', 'This key changed meanwhile; look again.')
        await revokeStep(c, claimed, `Campaign ${c.id}: revoked anyway while held (${row.held_reason}); ${row.evidence ?? ''}`.trim(), reason)
      } finally {
        outside.delete(row.id)
      }
      return keyView((await table().key(row.id))!)
    },

    /** A held key: watch it longer. */
    async extend(campaignId: string, rowId: number, byMs: number) {
      const c = await mustGet(campaignId)
      const row = await mustKey(campaignId, rowId)
      const now = d.now()
      const until = Math.max(row.deadline_at, now) + byMs
      const moved = await table().transition(
        row.id,
        { from: ['held'] },
        { state: 'waiting', held_reason: null, deadline_at: until, next_check_at: now }
      )
      if (!moved) throw new CoreError('VALIDATION', `This key is ${row.state}, not held.`)
      await table().moveDeadline(c.id, until)
      await d.journal.record({
        tenant: row.tenant,
        action: 'campaign.extend',
        outcome: 'ok',
        key: { id: row.old_key_id, name: row.old_name, preview: row.old_preview },
        reason: c.reason,
        detail: `Campaign ${c.id}: watched until ${new Date(until).toISOString()}.`
      })
      void pass().catch((err) => d.log.warn('campaign pass failed', err))
      return keyView(moved)
    },

    async stop() {
      stopped = true
      if (timer) clearInterval(timer)
      stopping.abort()
      await Promise.all(lanes.values())
      for (const slot of reveals.values()) d.slots.discard(slot)
      reveals.clear()
    }
  }
}

export type Campaigns = ReturnType<typeof createCampaigns>
