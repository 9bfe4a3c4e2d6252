import { useEffect } from 'react'
import { keysGrid } from './keys-grid'
import { keyStatus } from '../../../../shared/key-view'
import type { ApiKey } from '../../../../shared/meshqu'
import { isKnownScope, SCOPE_INFO } from '../../../../shared/scopes'
import type { TenantView } from '../../../../shared/tenants'
import { appErrorOf } from '../../lib/api'
import { describeError } from '../../lib/errors'
import { useUi } from '../../lib/store'
import { StatusChip } from '../../ui/StatusChip'
import { Time } from '../../ui/Time'
import { KeyJournal } from '../journal'
import { KeySchedule } from '../schedule'
import { useAudit } from './queries'

export function DetailPanel({
  tenant,
  k,
  now,
  offline,
  writeBlock,
  readOnly,
  nameOf,
  pendingRotation
}: {
  tenant: TenantView
  k: ApiKey
  now: number
  offline: boolean
  /** Why writes are unavailable (write-block.ts), or null. */
  writeBlock: string | null
  /** A locked read-only tenant: rotate, revoke and schedule are absent. */
  readOnly: boolean
  nameOf: (id: string | null) => string | null
  pendingRotation: boolean
}) {
  const selectKey = useUi((s) => s.selectKey)
  const openDialog = useUi((s) => s.openDialog)
  const status = keyStatus(k, now)
  // Esc closes the panel (not while a dialog is open: Esc is the dialog's), and focus goes back to
  // the table the panel was opened from.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented || useUi.getState().dialog) return
      const t = e.target
      if (t instanceof HTMLInputElement && t.type === 'search' && t.value) return
      const fromPanel = t instanceof Node && document.querySelector('aside.detail')?.contains(t)
      selectKey(null)
      if (fromPanel) keysGrid()?.focus()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [selectKey])
  // Audit events need audit:read on the admin key; a 403 is shown as such, not as a failure.
  const audit = useAudit(tenant.id, !offline)
  const events = (audit.data?.events ?? []).filter((e) => e.target_id === k.id || e.actor_key_id === k.id)
  const who = (id: string | null) => (id ? (nameOf(id) ?? id) : '—')
  return (
    <aside className="detail" aria-label={`Details of ${k.name}`}>
      <header className="detail-head">
        <h2>{k.name}</h2>
        <button type="button" className="icon-button" aria-label="Close details" onClick={() => selectKey(null)}>
          ×
        </button>
      </header>
      <StatusChip status={status} pending={pendingRotation} />
      <dl className="fields">
        <dt>Key</dt>
        <dd>
          <code>{k.key_preview}</code>
        </dd>
        <dt>Id</dt>
        <dd>
          <code className="wrap">{k.id}</code>
        </dd>
        <dt>Created</dt>
        <dd>
          <Time value={k.created_at} /> by {who(k.created_by)}
        </dd>
        <dt>Expires</dt>
        <dd>
          <Time value={k.expires_at} never="never expires" ahead />
        </dd>
        <dt>Last used</dt>
        <dd>
          <Time value={k.last_used_at} never="never used" />
        </dd>
        {k.revoked_at && (
          <>
            <dt>Revoked</dt>
            <dd>
              <Time value={k.revoked_at} /> by {who(k.revoked_by)}
            </dd>
          </>
        )}
      </dl>
      <h3>Scopes</h3>
      <ul className="scope-list">
        {k.scopes.map((s) => (
          <li key={s}>
            <code>{s}</code>{' '}
            <span className="muted">{isKnownScope(s) ? SCOPE_INFO[s].description : 'A scope this KeyDesk version does not know'}</span>
          </li>
        ))}
      </ul>
      {status !== 'revoked' && !readOnly && (
        <div className="detail-actions">
          <button
            type="button"
            className="button"
            disabled={!!writeBlock}
            title={writeBlock ?? undefined}
            onClick={() => openDialog({ kind: 'rotate', tenantId: tenant.id, keyId: k.id })}
          >
            Rotate key
          </button>
          <button
            type="button"
            className="button danger"
            disabled={!!writeBlock}
            title={writeBlock ?? undefined}
            onClick={() => openDialog({ kind: 'revoke', tenantId: tenant.id, keyId: k.id })}
          >
            Revoke…
          </button>
        </div>
      )}
      <KeySchedule tenant={tenant} k={k} revoked={status === 'revoked'} offline={offline} readOnly={readOnly} />
      <KeyJournal tenantId={tenant.id} keyId={k.id} />
      <h3>Audit events</h3>
      {offline ? (
        <p className="muted">Unavailable offline.</p>
      ) : audit.isPending ? (
        <p className="muted">Loading…</p>
      ) : audit.isError ? (
        <p className="muted">{describeError(appErrorOf(audit.error), { operation: 'audit', tenantLabel: tenant.label })}</p>
      ) : events.length === 0 ? (
        <p className="muted">No audit events for this key in the latest 500.</p>
      ) : (
        <ol className="audit-list">
          {events.map((e) => (
            <li key={e.id}>
              <code>{e.action}</code> <Time value={e.created_at} />
              {e.actor_key_name && <span className="muted"> by {e.actor_key_name}</span>}
            </li>
          ))}
        </ol>
      )}
    </aside>
  )
}
