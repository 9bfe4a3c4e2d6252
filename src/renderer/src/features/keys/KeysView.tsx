import { useDeferredValue, useEffect, useMemo, useRef, useState } from 'react'
import { filterCounts, filterIndex, isDefaultSort, isSelectableForBulk, KEY_STATUSES, type KeyStatus } from '../../../../shared/key-view'
import type { ApiKey } from '../../../../shared/meshqu'
import type { TenantView } from '../../../../shared/tenants'
import { appErrorOf } from '../../lib/api'
import { describeError } from '../../lib/errors'
import { useUi } from '../../lib/store'
import { clockTime, relativeTime } from '../../lib/time'
import { useNow } from '../../lib/use-now'
import { useApplyBulkResults, useBulkJob } from '../bulk'
import { useHeadroom } from '../headroom'
import { DetailPanel } from './DetailPanel'
import { ExportMenu } from './ExportMenu'
import { keyListView } from './key-list-view'
import { KeysTable } from './KeysTable'
import { useKeys, usePendingRotations } from './queries'
import { TenantUnavailable, unavailableState } from './TenantUnavailable'
import { writeBlockReason } from './write-block'
import { ScopeSelect } from '../../ui/ScopeSelect'
import { useWritesLocked } from '../protection'

const NO_INDEX: never[] = []
const NO_KEYS: ReadonlyMap<string, ApiKey> = new Map()

const STATUS_NAMES: Record<KeyStatus, string> = { active: 'Active', expiring: 'Expiring ≤ 7 d', expired: 'Expired', revoked: 'Revoked' }

export function KeysView({ tenant }: { tenant: TenantView }) {
  const now = useNow(60_000)
  const filter = useUi((s) => s.filter)
  const setFilter = useUi((s) => s.setFilter)
  const sort = useUi((s) => s.sort)
  const setSort = useUi((s) => s.setSort)
  // "Show them" on the pending-rotation warning narrows the table to those old keys.
  const [onlyPending, setOnlyPending] = useState(false)
  // The fleet store's first rows can be painted before the rest only where they are what the view
  // shows first: default sort, nothing filtered out. Another view waits for the whole list.
  const firstRows = isDefaultSort(sort) && !filter.text && !filter.statuses?.length && !filter.scopes?.length && !onlyPending
  const keysQuery = useKeys(tenant.id, { firstRows, now })
  const rotations = usePendingRotations(tenant.id)
  const headroom = useHeadroom(tenant.id)
  const clock = useNow(1000)
  const pacing = headroom.data?.pacing
  const pausedFor = pacing?.waitingUntil && pacing.waitingUntil > clock ? Math.ceil((pacing.waitingUntil - clock) / 1000) : 0
  const checked = useUi((s) => s.checked)
  const selectedKeyId = useUi((s) => s.selectedKeyId)
  const openDialog = useUi((s) => s.openDialog)

  const bulkJob = useUi((s) => s.bulkJob)
  const bulk = useBulkJob(bulkJob?.tenantId === tenant.id ? bulkJob.jobId : null)
  useApplyBulkResults(tenant.id, bulk.data)

  const keys = keysQuery.data?.data.keys
  // Only the first rows are in: counts and size come from the store, acting on the list waits.
  const partial = keysQuery.data?.firstRowsOnly
  const meta = keysQuery.data?.meta
  // A 429 serves the stored list too, but it is not offline: one banner says which, and when.
  const rateLimitedUntil = meta?.servedFrom === 'store' ? keysQuery.data?.data.rateLimitedUntil : undefined
  const offline = meta?.servedFrom === 'store' && !rateLimitedUntil
  // Typing stays responsive: the filter runs on a deferred copy of the text.
  const text = useDeferredValue(filter.text ?? '')
  // Counting, sorting and indexing happen when the list, the sort or a key's status changes, once
  // per list (kept for the next switch back to this tenant); a keystroke only scans the prepared
  // index (10,000 keys in a few ms). While only the first rows are in, counts are the store's.
  const view = useMemo(() => (keys ? keyListView(keys, sort, now) : null), [keys, sort, now])
  const storedCounts = useMemo(() => (partial ? filterCounts(partial.counts) : null), [partial])
  const counts = storedCounts ?? view?.counts ?? null
  const index = view?.index ?? NO_INDEX
  const byId = view?.byId ?? NO_KEYS
  const nameOf = useMemo(() => (id: string | null) => (id ? (byId.get(id)?.name ?? null) : null), [byId])
  const pending = useMemo(() => new Set((rotations.data?.pending ?? []).map((r) => r.oldKeyId)), [rotations.data])
  // The text comes from the deferred copy only: the keystroke's own urgent render (the box) reuses
  // the rows filtered for the previous text instead of filtering them again.
  const { statuses, scopes } = filter
  const visible = useMemo(() => {
    const v = filterIndex(index, { text, statuses, scopes })
    return onlyPending && pending.size > 0 ? v.filter((k) => pending.has(k.id)) : v
  }, [index, statuses, scopes, text, onlyPending, pending])
  const pendingNames = [...pending].map((id) => byId.get(id)?.name ?? id)
  const selected = selectedKeyId ? byId.get(selectedKeyId) : undefined
  // A filter that hides the open key closes its panel: details of a row no longer on screen would
  // be acted on blind. Not while only the first rows are in: the key may be further down.
  const selectKey = useUi((s) => s.selectKey)
  const openHidden = !!selectedKeyId && keys !== undefined && !partial && !visible.some((k) => k.id === selectedKeyId)
  useEffect(() => {
    if (openHidden) selectKey(null)
  }, [openHidden, selectKey])
  const checkedLive = [...checked].filter((id) => {
    const k = byId.get(id)
    return k && isSelectableForBulk(k, tenant, now)
  })
  const blocked = writeBlockReason(tenant, keysQuery.data)
  // Read-only and not unlocked: the write controls are not there at all (main refuses anyway).
  const locked = useWritesLocked(tenant)
  const unavailable = unavailableState(tenant, keysQuery.error)
  // Bulk revoke acts on what the operator can see: selections a filter hides are counted and
  // named, never revoked from an empty view.
  const anyChecked = checkedLive.length > 0
  const visibleIds = useMemo(() => (anyChecked ? new Set(visible.map((k) => k.id)) : null), [visible, anyChecked])
  const checkedShown = visibleIds ? checkedLive.filter((id) => visibleIds.has(id)) : []
  const checkedHidden = checkedLive.length - checkedShown.length
  const setChecked = useUi((s) => s.setChecked)

  // The `/` shortcut asks for the search box through the UI store, not by looking for it.
  const searchRef = useRef<HTMLInputElement>(null)
  const searchFocusRequest = useUi((s) => s.searchFocusRequest)
  const seenRequest = useRef(searchFocusRequest)
  useEffect(() => {
    if (searchFocusRequest === seenRequest.current) return
    seenRequest.current = searchFocusRequest
    searchRef.current?.focus()
    searchRef.current?.select()
  }, [searchFocusRequest])

  const toggleStatus = (s: KeyStatus) => {
    const cur = new Set(filter.statuses ?? [])
    if (cur.has(s)) cur.delete(s)
    else cur.add(s)
    setFilter({ statuses: [...cur] })
  }

  return (
    <section className="keys-view" aria-label={`Keys of ${tenant.label}`}>
      {unavailable && (
        <TenantUnavailable tenant={tenant} state={unavailable} onRetry={() => void keysQuery.refetch()} retrying={keysQuery.isFetching} />
      )}
      {offline && !unavailable && (
        <div className="banner banner-offline" role="status">
          <strong>
            Offline — showing keys as of {clockTime(meta!.syncedAt!)} ({relativeTime(meta!.syncedAt!, clock, { past: true })}).
          </strong>{' '}
          Creating, revoking and rotating are disabled until MeshQu is reachable again. {keysQuery.data?.data.offlineReason}
          <button type="button" className="button small" onClick={() => void keysQuery.refetch()} disabled={keysQuery.isFetching}>
            {keysQuery.isFetching ? 'Retrying…' : 'Retry now'}
          </button>
        </div>
      )}
      {rateLimitedUntil && !unavailable && (
        <div className="banner banner-warn" role="status">
          <strong>
            Rate-limited — showing keys as of {clockTime(meta!.syncedAt!)}, retrying in {Math.max(1, Math.ceil((rateLimitedUntil - clock) / 1000))} s.
          </strong>{' '}
          MeshQu&apos;s rate limit for {tenant.label} was reached; creating, revoking and rotating wait until the list is back.
        </div>
      )}
      {tenant.status === 'settling' && !offline && !unavailable && (
        <div className="banner banner-info" role="status">
          Settling — KeyDesk is listing {tenant.label} now to check whether the last change was applied. Writes wait until it has.
        </div>
      )}
      {pausedFor > 0 && pacing?.reason === 'rate-limited' && !rateLimitedUntil && (
        <div className="banner banner-warn" role="alert">
          MeshQu&apos;s rate limit for {tenant.label} was reached (429). KeyDesk sends nothing to this tenant for {pausedFor} s and then resumes by
          itself.
        </div>
      )}
      {keysQuery.data?.data.changesSinceLastSync && (
        <div className="banner banner-info" role="status">
          Back online. Since the last sync: {keysQuery.data.data.changesSinceLastSync}.
        </div>
      )}
      {keysQuery.data?.data.incomplete && (
        <div className="banner banner-warn" role="status">
          {keysQuery.data.data.incompleteReason ?? 'MeshQu could not be listed consistently; some keys may be missing.'}
        </div>
      )}
      {/* Settled writes ("revocation was NOT applied") are kept until dismissed: app/Notices. */}
      {rotations.data && rotations.data.pending.length > 0 && (
        <div className="banner banner-warn" role="status">
          {rotations.data.pending.length} rotation{rotations.data.pending.length === 1 ? '' : 's'} pending ({pendingNames.join(', ')}): the old key
          {pendingNames.length === 1 ? ' is' : 's are'} still active. Revoke {pendingNames.length === 1 ? 'it' : 'each'} once its services use the new
          key.{' '}
          <button type="button" className="button small" aria-pressed={onlyPending} onClick={() => setOnlyPending(!onlyPending)}>
            {onlyPending ? 'Show all keys' : pendingNames.length === 1 ? 'Show it' : 'Show them'}
          </button>
        </div>
      )}
      <div className="toolbar" role="toolbar" aria-label="Key actions">
        <input
          type="search"
          role="searchbox"
          aria-label="Search keys"
          className="search"
          placeholder="Search name, preview or id   /"
          value={filter.text ?? ''}
          onChange={(e) => setFilter({ text: e.target.value })}
          ref={searchRef}
        />
        <div className="status-filters" role="group" aria-label="Filter by status">
          {KEY_STATUSES.map((s) => (
            <button
              key={s}
              type="button"
              className={`chip-toggle status-${s}`}
              aria-pressed={filter.statuses?.includes(s) ?? false}
              onClick={() => toggleStatus(s)}
            >
              {STATUS_NAMES[s]} <span className="count">{counts ? counts[s] : '–'}</span>
            </button>
          ))}
        </div>
        <label className="scope-filter">
          <span className="sr-only">Filter by scope</span>
          <ScopeSelect label="Filter by scope" value={filter.scopes?.[0] ?? ''} onChange={(scope) => setFilter({ scopes: scope ? [scope] : [] })} />
        </label>
        <span className="spacer" />
        {checkedHidden > 0 && (
          <span className="selection-note" role="status">
            {checkedLive.length} selected, {checkedHidden} hidden by filters
            <button type="button" className="button small" onClick={() => setChecked(new Set())}>
              Clear selection
            </button>
          </span>
        )}
        {checkedShown.length > 0 && !locked && (
          <button
            type="button"
            className="button danger"
            disabled={!!blocked}
            title={blocked ?? undefined}
            onClick={() => openDialog({ kind: 'bulk-revoke', tenantId: tenant.id, keyIds: checkedShown })}
          >
            Revoke selected ({checkedShown.length})
          </button>
        )}
        <ExportMenu tenant={tenant} keys={visible} waiting={!!partial} />
        {locked ? (
          <button type="button" className="button" title="Unlock writes (u)" onClick={() => openDialog({ kind: 'unlock', tenantIds: [tenant.id] })}>
            Unlock writes…
          </button>
        ) : (
          <button
            type="button"
            className="button primary"
            disabled={!!blocked || !keysQuery.data}
            title={blocked ?? 'Create key (n)'}
            onClick={() => openDialog({ kind: 'create-key', tenantId: tenant.id })}
          >
            Create key
          </button>
        )}
      </div>
      <div className="table-area">
        {keysQuery.isPending ? (
          <div className="state" role="status">
            <span className="spinner" aria-hidden="true" /> Loading keys of {tenant.label}…
          </div>
        ) : keysQuery.isError && unavailable ? (
          <div className="state" role="status">
            No keys to show until this is fixed.
          </div>
        ) : keysQuery.isError ? (
          <div className="state state-error" role="alert">
            <p>{describeError(appErrorOf(keysQuery.error))}</p>
            <button type="button" className="button" onClick={() => void keysQuery.refetch()}>
              Retry
            </button>
          </div>
        ) : (
          <>
            {/* One line: the table does not move when "loading the rest" goes. */}
            <div className="result-line">
              <p className="result-count" aria-live="polite" data-filtered-for={text}>
                {partial
                  ? `${partial.total} keys`
                  : visible.length === keys!.length
                    ? `${keys!.length} keys`
                    : `${visible.length} of ${keys!.length} keys`}
              </p>
              {partial && (
                <p className="rest-loading" role="status">
                  <span className="spinner" aria-hidden="true" /> First {keys!.length} shown; loading the rest…
                </p>
              )}
            </div>
            {visible.length === 0 ? (
              <div className="state" role="status">
                {keys!.length === 0 ? (
                  'This tenant has no API keys yet. Create the first one.'
                ) : (
                  <>
                    <p>No key matches this search and these filters.</p>
                    <button type="button" className="button" onClick={() => setFilter({ text: '', statuses: [], scopes: [] })}>
                      Clear filters
                    </button>
                  </>
                )}
              </div>
            ) : (
              <KeysTable
                keys={visible}
                now={now}
                sort={sort}
                onSort={setSort}
                pendingRotations={pending}
                nameOf={nameOf}
                tenant={tenant}
                firstRowsOf={partial?.total}
                readOnly={locked}
              />
            )}
          </>
        )}
        {selected && (
          <DetailPanel
            tenant={tenant}
            k={selected}
            now={now}
            offline={offline}
            writeBlock={blocked}
            readOnly={locked}
            nameOf={nameOf}
            pendingRotation={pending.has(selected.id)}
          />
        )}
      </div>
    </section>
  )
}
