import { useDeferredValue, useMemo, useState } from 'react'
import { SEARCH_MIN_CHARS } from '../../../../shared/contract'
import { keyStatus } from '../../../../shared/key-view'
import { type Scope } from '../../../../shared/scopes'
import { appErrorOf } from '../../lib/api'
import { describeError } from '../../lib/errors'
import { useUi } from '../../lib/store'
import { useNow } from '../../lib/use-now'
import { Dialog } from '../../ui/Dialog'
import { EnvBadge } from '../../ui/EnvBadge'
import { StatusChip } from '../../ui/StatusChip'
import { Freshness } from '../../ui/Freshness'
import { useIsStale } from '../../lib/sync'
import { SEARCH_LIMIT as LIMIT, tooShortToSearch, useSearchAll } from './queries'
import { ScopeSelect } from '../../ui/ScopeSelect'
import { useUnlockList, writesLocked } from '../protection'
import { useTenants } from '../tenants'
import { startTriage } from '../triage'
import { holdsKey } from '../../../../shared/triage'
import { ErrorCallout } from '../../ui/ErrorCallout'

/**
 * A hit's writes act on the hit's own tenant, in its own dialog: the tenant shown stays (only the
 * tenant's name opens it). The dialog replaces this one, and focus goes back where Search all was opened from.
 */
const ACTIONS = [
  { kind: 'rotate', text: 'Rotate', name: (key: string, tenant: string) => `Rotate ${key} in ${tenant}` },
  { kind: 'schedule-revoke', text: 'Schedule', name: (key: string, tenant: string) => `Schedule a revoke of ${key} in ${tenant}` },
  { kind: 'revoke', text: 'Revoke', name: (key: string, tenant: string) => `Revoke ${key} in ${tenant}` }
] as const

/** Which tenant does this preview belong to? Searches every tenant's last synced list in the store. */
export function SearchAllDialog({ onSelect }: { onSelect: (id: string) => void }) {
  const close = useUi((s) => s.closeDialog)
  const selectKey = useUi((s) => s.selectKey)
  const openDialog = useUi((s) => s.openDialog)
  const [text, setText] = useState('')
  const [scope, setScope] = useState<Scope | ''>('')
  const deferred = useDeferredValue(text.trim())
  // A whole key, alone or inside other text, is never searched: it would become a query key in
  // React Query's cache. Triage takes it instead.
  const wholeKey = holdsKey(text)
  const q = wholeKey || holdsKey(deferred) ? '' : deferred
  const tooShort = tooShortToSearch(q)
  const search = useSearchAll(q, wholeKey ? '' : scope)
  const [triageError, setTriageError] = useState<unknown>(null)
  const triage = async () => {
    const sent = text
    setText('')
    setTriageError(null)
    try {
      openDialog({ kind: 'triage', session: await startTriage(sent) })
    } catch (err) {
      setTriageError(err)
    }
  }
  const now = useNow(60_000)
  const stale = useIsStale()
  // A hit on a locked read-only tenant offers the emergency path: Unlock and revoke, in one dialog.
  const tenants = useTenants().data?.tenants
  const unlocks = useUnlockList()
  const locked = useMemo(() => new Map((tenants ?? []).filter((t) => writesLocked(t, unlocks)).map((t) => [t.id, t])), [tenants, unlocks])
  return (
    <Dialog title="Search all tenants" onClose={close} wide>
      <div className="search-all-fields">
        <input
          type="search"
          className="search-all-input"
          aria-label="Search all tenants"
          aria-describedby="search-all-hint"
          placeholder="Name, preview (…x7Kf) or id"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            // A search field eats Esc to clear itself; here Esc closes the dialog at once, as in
            // every other dialog (focus goes back where it came from).
            if (e.key === 'Escape') {
              e.preventDefault()
              close()
            }
          }}
          autoFocus
        />
        <ScopeSelect label="Holding scope" value={scope} onChange={setScope} />
      </div>
      {wholeKey && (
        <div className="callout" role="status">
          <p>This looks like a whole key. Search all looks for names, previews and ids; a whole key is found by triage, without keeping it.</p>
          <button type="button" className="button primary" onClick={() => void triage()}>
            Whose key is this?
          </button>
        </div>
      )}
      <ErrorCallout error={triageError} />
      <p id="search-all-hint" className="hint muted">
        {tooShort
          ? `Type at least ${SEARCH_MIN_CHARS} characters.`
          : 'Searches the last list KeyDesk synced of every tenant, so it works offline too. The text is matched literally.'}
      </p>
      {search.isError && <p role="alert">{describeError(appErrorOf(search.error))}</p>}
      {search.data && !tooShort && !wholeKey && (
        <>
          <p role="status" className="muted">
            {search.data.hits.length} match{search.data.hits.length === 1 ? '' : 'es'} in {search.data.searchedTenants} tenant
            {search.data.searchedTenants === 1 ? '' : 's'}
            {search.data.truncated ? ` (first ${LIMIT} shown; narrow the search)` : ''}
          </p>
          <table aria-label="Matches across tenants" className="plain-table">
            <thead>
              <tr>
                <th>Tenant</th>
                <th>Name</th>
                <th>Key</th>
                <th>Status</th>
                <th>As of</th>
                <th>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {search.data.hits.map((h) => (
                <tr key={`${h.tenant.id}-${h.key.id}`}>
                  <td>
                    <button
                      type="button"
                      className="button ghost"
                      onClick={() => {
                        close()
                        onSelect(h.tenant.id)
                        selectKey(h.key.id)
                      }}
                    >
                      {h.tenant.label}
                    </button>{' '}
                    <EnvBadge env={h.tenant.environment} />
                  </td>
                  <td>
                    {h.key.name}
                    {h.exact && <span className="chip exact-chip"> exact match</span>}
                  </td>
                  <td>
                    <code>{h.key.key_preview}</code>
                  </td>
                  <td>
                    <StatusChip status={keyStatus(h.key, now)} />
                  </td>
                  <td>
                    <Freshness syncedAt={h.syncedAt} stale={stale(h.syncedAt)} />
                  </td>
                  <td className="search-all-actions">
                    {keyStatus(h.key, now) !== 'revoked' &&
                      (locked.has(h.tenant.id) ? (
                        <button
                          type="button"
                          className="button ghost small danger-text"
                          aria-label={`Unlock and revoke ${h.key.name} in ${h.tenant.label}`}
                          onClick={() =>
                            openDialog({
                              kind: 'unlock-revoke',
                              tenantId: h.tenant.id,
                              keyId: h.key.id,
                              keyName: h.key.name,
                              preview: h.key.key_preview
                            })
                          }
                        >
                          Unlock and revoke
                        </button>
                      ) : (
                        ACTIONS.map(({ kind, text, name }) => (
                          <button
                            key={kind}
                            type="button"
                            className={`button ghost small ${kind === 'revoke' ? 'danger-text' : ''}`}
                            aria-label={name(h.key.name, h.tenant.label)}
                            onClick={() => openDialog({ kind, tenantId: h.tenant.id, keyId: h.key.id })}
                          >
                            {text}
                          </button>
                        ))
                      ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </Dialog>
  )
}
