import type { Database } from 'better-sqlite3'
import type { CampaignKeyState, CampaignState, HeldReason } from '../../../shared/campaigns'
import type { ErrorCode } from '../../../shared/errors'

export interface CampaignRow {
  id: string
  created_at: number
  state: CampaignState
  name_pattern: string
  expires_in_days: number | null
  quiet_ms: number
  deadline_at: number
  pacing_share: number
  reason: string | null
  ended_at: number | null
}

export interface CampaignKeyRow {
  id: number
  campaign_id: string
  tenant: string
  old_key_id: string
  old_name: string
  old_preview: string | null
  /** JSON array of the old key's scopes, which the replacement gets. */
  scopes: string
  replacement_name: string
  state: CampaignKeyState
  held_reason: HeldReason | null
  new_key_id: string | null
  new_preview: string | null
  intent_at: number | null
  handed_over_at: number | null
  old_last_used_at: number | null
  old_uses_seen: number
  new_first_used_at: number | null
  deadline_at: number
  last_check_at: number | null
  next_check_at: number | null
  evidence: string | null
  owner: string | null
  lease_until: number | null
  last_error_code: ErrorCode | null
  last_error: string | null
  done_at: number | null
}

export interface NewCampaignKey {
  tenant: string
  oldKeyId: string
  oldName: string
  oldPreview: string | null
  scopes: readonly string[]
  replacementName: string
  oldLastUsedAt: number | null
}

/** The columns a transition may set; everything else is fixed when the row is planned. */
export type CampaignKeyPatch = Partial<
  Pick<
    CampaignKeyRow,
    | 'state'
    | 'held_reason'
    | 'new_key_id'
    | 'new_preview'
    | 'intent_at'
    | 'handed_over_at'
    | 'old_last_used_at'
    | 'old_uses_seen'
    | 'new_first_used_at'
    | 'deadline_at'
    | 'last_check_at'
    | 'next_check_at'
    | 'evidence'
    | 'owner'
    | 'lease_until'
    | 'last_error_code'
    | 'last_error'
    | 'done_at'
    | 'replacement_name'
  >
>

const PATCHABLE: ReadonlySet<string> = new Set([
  'state',
  'held_reason',
  'new_key_id',
  'new_preview',
  'intent_at',
  'handed_over_at',
  'old_last_used_at',
  'old_uses_seen',
  'new_first_used_at',
  'deadline_at',
  'last_check_at',
  'next_check_at',
  'evidence',
  'owner',
  'lease_until',
  'last_error_code',
  'last_error',
  'done_at',
  'replacement_name'
])

/** Which rows a transition applies to: the states it leaves, and (for a claim) whose lease. */
export interface TransitionGuard {
  from: readonly CampaignKeyState[]
  /** Only a row this owner holds. */
  owner?: string
  /** Only a row nobody holds, or whose holder's lease ended before this time (a claim). */
  unclaimedAt?: number
}

/** Keys a live campaign still works on: a key may be in one of them at a time. */
const LIVE: readonly CampaignKeyState[] = ['planned', 'creating', 'created', 'handed-over', 'waiting', 'revoking', 'held']

/**
 * The campaigns and campaign_keys tables (migrations/campaigns.ts). Every change of a key's state
 * is one conditional UPDATE (`WHERE state IN (...)`, and for claims the lease), so a cancel, a
 * hand-over and the runner never both win, and a second KeyDesk on the same file leaves a claimed
 * row alone until its lease has run out.
 */
export function createCampaignTable(db: Database) {
  const insertCampaign = db.prepare(
    `INSERT INTO campaigns (id, created_at, state, name_pattern, expires_in_days, quiet_ms, deadline_at, pacing_share, reason)
     VALUES (@id, @createdAt, 'running', @namePattern, @expiresInDays, @quietMs, @deadlineAt, @pacingShare, @reason)`
  )
  const insertKey = db.prepare(
    `INSERT INTO campaign_keys (campaign_id, tenant, old_key_id, old_name, old_preview, scopes, replacement_name, state, old_last_used_at, deadline_at)
     VALUES (@campaignId, @tenant, @oldKeyId, @oldName, @oldPreview, @scopes, @replacementName, 'planned', @oldLastUsedAt, @deadlineAt)`
  )
  const liveKey = db.prepare<[string, string], { id: number }>(
    `SELECT k.id FROM campaign_keys k JOIN campaigns c ON c.id = k.campaign_id
     WHERE k.tenant = ? AND k.old_key_id = ? AND c.state = 'running' AND k.state IN (${LIVE.map((s) => `'${s}'`).join(', ')})`
  )
  const replacementsOf = db.prepare<[string], string>('SELECT new_key_id FROM campaign_keys WHERE tenant = ? AND new_key_id IS NOT NULL').pluck()
  const campaignById = db.prepare<[string], CampaignRow>('SELECT * FROM campaigns WHERE id = ?')
  const campaigns = db.prepare<[number], CampaignRow>('SELECT * FROM campaigns ORDER BY created_at DESC, id LIMIT ?')
  const keysOf = db.prepare<[string], CampaignKeyRow>('SELECT * FROM campaign_keys WHERE campaign_id = ? ORDER BY tenant, id')
  const keyById = db.prepare<[number], CampaignKeyRow>('SELECT * FROM campaign_keys WHERE id = ?')
  const ACTIVE = `SELECT k.* FROM campaign_keys k JOIN campaigns c ON c.id = k.campaign_id WHERE c.state = 'running'
       AND k.state IN ('planned', 'creating', 'waiting', 'revoking', 'handed-over')`
  const running = db.prepare<[], CampaignKeyRow>(`${ACTIVE} ORDER BY k.id`)
  const runningOf = db.prepare<[string], CampaignKeyRow>(`${ACTIVE} AND k.tenant = ? ORDER BY k.id`)
  const tenantsWithWork = db.prepare<[], string>(`SELECT DISTINCT k.tenant FROM (${ACTIVE}) k`).pluck()
  const setCampaign = db.prepare('UPDATE campaigns SET state = @state, ended_at = @at WHERE id = @id AND state = @from')
  const moveDeadline = db.prepare('UPDATE campaigns SET deadline_at = max(deadline_at, ?) WHERE id = ?')
  const cancelKeys = db.prepare(
    `UPDATE campaign_keys SET state = 'cancelled', done_at = ?, next_check_at = NULL
     WHERE campaign_id = ? AND state IN ('planned', 'created', 'handed-over', 'waiting', 'held')`
  )

  function transition(id: number, guard: TransitionGuard, patch: CampaignKeyPatch): CampaignKeyRow | null {
    const cols = Object.keys(patch).filter((c) => PATCHABLE.has(c))
    const params: Record<string, unknown> = { id }
    for (const c of cols) params[`p_${c}`] = (patch as Record<string, unknown>)[c] ?? null
    const states = guard.from.map((s, i) => {
      params[`s${i}`] = s
      return `@s${i}`
    })
    let where = `id = @id AND state IN (${states.join(', ')})`
    if (guard.owner !== undefined) {
      where += ' AND owner = @owner'
      params.owner = guard.owner
    }
    if (guard.unclaimedAt !== undefined) {
      where += ' AND (owner IS NULL OR lease_until IS NULL OR lease_until <= @unclaimedAt)'
      params.unclaimedAt = guard.unclaimedAt
    }
    const set = cols.length ? cols.map((c) => `${c} = @p_${c}`).join(', ') : 'state = state'
    return db.transaction(() => {
      const changed = db.prepare(`UPDATE campaign_keys SET ${set} WHERE ${where}`).run(params).changes === 1
      return changed ? keyById.get(id)! : null
    })()
  }

  return {
    /**
     * A new campaign and its planned keys, in one transaction. A key already in a running
     * campaign is left out (its id returned in `busy`): one key, one campaign at a time.
     */
    create(
      c: {
        id: string
        createdAt: number
        namePattern: string
        expiresInDays: number | null
        quietMs: number
        deadlineAt: number
        pacingShare: number
        reason: string | null
      },
      keys: readonly NewCampaignKey[]
    ): { campaign: CampaignRow; busy: string[] } {
      return db
        .transaction(() => {
          insertCampaign.run(c)
          const busy: string[] = []
          for (const k of keys) {
            if (liveKey.get(k.tenant, k.oldKeyId)) {
              busy.push(k.oldKeyId)
              continue
            }
            insertKey.run({ ...k, scopes: JSON.stringify(k.scopes), campaignId: c.id, deadlineAt: c.deadlineAt })
          }
          return { campaign: campaignById.get(c.id)!, busy }
        })
        .immediate()
    },
    get: (id: string) => campaignById.get(id) ?? null,
    list: (limit: number) => campaigns.all(limit),
    keys: (campaignId: string) => keysOf.all(campaignId),
    key: (id: number) => keyById.get(id) ?? null,
    /** Rows of running campaigns the runner may have work on (creates, checks, revokes). */
    active: (tenant?: string) => (tenant === undefined ? running.all() : runningOf.all(tenant)),
    /** The ids of the tenant's keys any campaign row (of any campaign) holds as its replacement. */
    replacementsOf: (tenant: string) => replacementsOf.all(tenant),
    /** The tenants with rows the runner may have work on. */
    tenants: () => tenantsWithWork.all(),
    /** One conditional change of a key's row; the row as changed, or null when the guard did not hold. */
    transition,
    /** running → cancelled or done; false when it was not running. */
    end: (id: string, state: 'cancelled' | 'done', at: number) => setCampaign.run({ id, state, at, from: 'running' }).changes === 1,
    /** Cancel: the campaign and every key not mid-write now (a create or revoke in flight finishes first). */
    cancel: (id: string, at: number) =>
      db
        .transaction(() => {
          if (setCampaign.run({ id, state: 'cancelled', at, from: 'running' }).changes !== 1) return -1
          return cancelKeys.run(at, id).changes
        })
        .immediate(),
    /** Extend: a key's deadline moved past the campaign's is the campaign's too (listing reads it). */
    moveDeadline: (id: string, at: number) => moveDeadline.run(at, id).changes === 1
  }
}

export type CampaignTable = ReturnType<typeof createCampaignTable>
