import type { Database } from 'better-sqlite3'
import type { ApiKey } from '../../../shared/meshqu'
import type { OutsideChange, OutsideKind } from '../../../shared/radar'

/** A key as the previous sync (or KeyDesk's own write since) left it in the store. */
export interface PreviousRow {
  revoked: number
}

/** One change found by a sync, with the key it names (for the notification). */
export interface OutsideFound extends OutsideChange {
  keyId: string
  keyName: string
  keyPreview: string | null
}

/**
 * The journal entries that make a change KeyDesk's own: a create or revoke that succeeded, or a
 * write whose outcome was unknown and that a later list settled as applied (the settlement names
 * the key; the entry it settles says which write it was). A failed attempt explains nothing.
 */
const OWN_ACTIONS: Record<OutsideKind, string> = {
  created: `'key.create'`,
  revoked: `'key.revoke', 'bulk.revoke', 'schedule.revoke'`
}
const explainedBy = (kind: OutsideKind, tenant: string, keyId: string) =>
  `EXISTS (SELECT 1 FROM journal j WHERE j.tenant = ${tenant} AND j.key_id = ${keyId} AND (
     (j.outcome = 'ok' AND j.action IN (${OWN_ACTIONS[kind]}))
     OR (j.action = 'settlement' AND j.outcome = 'applied'
         AND EXISTS (SELECT 1 FROM journal r WHERE r.seq = j.ref_seq AND r.action IN (${OWN_ACTIONS[kind]})))))`

/**
 * A finding still to show: not acknowledged, not explained by a journal entry written since (a
 * KeyDesk write whose entry landed just after the sync that listed it), and for a created key,
 * only while the key is live in the store (a created key revoked since is no longer a risk; its
 * revoke is a finding of its own when it was made outside too).
 */
export const OPEN_OUTSIDE = `o.tenant = @tenant AND o.acked_at IS NULL
  AND NOT (CASE o.kind WHEN 'created' THEN ${explainedBy('created', 'o.tenant', 'o.key_id')} ELSE ${explainedBy('revoked', 'o.tenant', 'o.key_id')} END)
  AND (o.kind = 'revoked' OR EXISTS (SELECT 1 FROM keys k WHERE k.tenant = o.tenant AND k.id = o.key_id AND k.listed = 1 AND k.revoked = 0))`

interface Row {
  kind: OutsideKind
  key_id: string
  key_name: string
  key_preview: string | null
  actor: string | null
  actor_name: string | null
  changed_at: string | null
  found_at: number
}

const change = (r: Row): OutsideChange => ({
  kind: r.kind,
  actor: r.actor,
  actorName: r.actor_name,
  changedAt: r.changed_at,
  foundAt: r.found_at
})
const found = (r: Row): OutsideFound => ({ ...change(r), keyId: r.key_id, keyName: r.key_name, keyPreview: r.key_preview })

const isRevoked = (k: ApiKey) => k.revoked_at !== null || (!k.is_active && k.expires_at === null)

/**
 * Changes made outside KeyDesk (migrations/outside-changes.ts): found inside each sync's
 * transaction, read by the radar, acknowledged by the operator. Statements are prepared once per
 * opened database.
 */
export function createOutsideChanges(db: Database) {
  const q = {
    explained: {
      created: db.prepare<{ tenant: string; keyId: string }>(`SELECT ${explainedBy('created', '@tenant', '@keyId')}`).pluck(),
      revoked: db.prepare<{ tenant: string; keyId: string }>(`SELECT ${explainedBy('revoked', '@tenant', '@keyId')}`).pluck()
    },
    actorName: db.prepare<[string, string], string>('SELECT name FROM keys WHERE tenant = ? AND id = ?').pluck(),
    add: db.prepare(
      `INSERT OR IGNORE INTO outside_changes (tenant, kind, key_id, key_name, key_preview, actor, actor_name, changed_at, found_at)
       VALUES (@tenant, @kind, @keyId, @keyName, @keyPreview, @actor, @actorName, @changedAt, @foundAt)`
    ),
    foundAt: db.prepare<{ tenant: string; at: number }, Row>(
      `SELECT o.kind, o.key_id, o.key_name, o.key_preview, o.actor, o.actor_name, o.changed_at, o.found_at
       FROM outside_changes o WHERE ${OPEN_OUTSIDE} AND o.found_at = @at ORDER BY o.kind, o.key_name, o.key_id`
    ),
    open: db.prepare<{ tenant: string }, Row>(
      `SELECT o.kind, o.key_id, o.key_name, o.key_preview, o.actor, o.actor_name, o.changed_at, o.found_at
       FROM outside_changes o WHERE ${OPEN_OUTSIDE}`
    ),
    one: db.prepare<{ tenant: string; kind: OutsideKind; keyId: string }, Row>(
      `SELECT o.kind, o.key_id, o.key_name, o.key_preview, o.actor, o.actor_name, o.changed_at, o.found_at
       FROM outside_changes o WHERE ${OPEN_OUTSIDE} AND o.kind = @kind AND o.key_id = @keyId`
    ),
    ack: db.prepare('UPDATE outside_changes SET acked_at = @at WHERE tenant = @tenant AND kind = @kind AND key_id = @keyId AND acked_at IS NULL'),
    ackSeq: db.prepare('UPDATE outside_changes SET ack_seq = @seq WHERE tenant = @tenant AND kind = @kind AND key_id = @keyId')
  }

  return {
    /**
     * Inside a sync's transaction, before its rows are written: each key of the fresh list that
     * the store did not hold (created) or held unrevoked and is revoked now (revoked), with no
     * journal entry of KeyDesk's for it, is recorded. The first sync of a tenant is the baseline
     * (`firstSync`): nothing is raised. A key created and revoked between two syncs is both.
     */
    detect(tenant: string, previous: ReadonlyMap<string, PreviousRow>, keys: readonly ApiKey[], syncedAt: number, firstSync: boolean) {
      if (firstSync) return
      const listed = new Map(keys.map((k) => [k.id, k]))
      const nameOf = (id: string | null) => (id === null ? null : (listed.get(id)?.name ?? q.actorName.get(tenant, id) ?? null))
      const record = (k: ApiKey, kind: OutsideKind) => {
        if (q.explained[kind].get({ tenant, keyId: k.id })) return
        const actor = kind === 'created' ? k.created_by : k.revoked_by
        q.add.run({
          tenant,
          kind,
          keyId: k.id,
          keyName: k.name,
          keyPreview: k.key_preview,
          actor,
          actorName: nameOf(actor),
          changedAt: kind === 'created' ? k.created_at : k.revoked_at,
          foundAt: syncedAt
        })
      }
      for (const k of listed.values()) {
        const prev = previous.get(k.id)
        if (!prev) record(k, 'created')
        if (isRevoked(k) && !prev?.revoked) record(k, 'revoked')
      }
    },

    /** What the sync at `syncedAt` found and is still open: the notification's content. */
    foundAt(tenant: string, syncedAt: number): OutsideFound[] {
      return q.foundAt.all({ tenant, at: syncedAt }).map(found)
    },

    /** The tenant's open findings by key id, for the radar's rows and the report. */
    open(tenant: string): Map<string, OutsideChange[]> {
      const out = new Map<string, OutsideChange[]>()
      for (const r of q.open.all({ tenant })) out.set(r.key_id, [...(out.get(r.key_id) ?? []), change(r)])
      return out
    },

    /** Marks an open finding acknowledged; the finding as it was, or null when none was open. */
    acknowledge(tenant: string, kind: OutsideKind, keyId: string, at: number): OutsideFound | null {
      return db.transaction(() => {
        const row = q.one.get({ tenant, kind, keyId })
        if (!row) return null
        q.ack.run({ tenant, kind, keyId, at })
        return found(row)
      })()
    },

    /** The journal entry that recorded an acknowledgement. */
    acknowledged(tenant: string, kind: OutsideKind, keyId: string, seq: number) {
      q.ackSeq.run({ tenant, kind, keyId, seq })
    }
  }
}

export type OutsideChanges = ReturnType<typeof createOutsideChanges>
