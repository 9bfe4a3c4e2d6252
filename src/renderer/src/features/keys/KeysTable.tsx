import { observeElementRect, useVirtualizer, type Rect } from '@tanstack/react-virtual'
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent, type ReactNode } from 'react'
import { isOwnAdminKey, isRevoked, isSelectableForBulk, keyStatus, type KeySort, type SortColumn } from '../../../../shared/key-view'
import type { ApiKey } from '../../../../shared/meshqu'
import type { ScheduledRevoke } from '../../../../shared/schedule'
import { useUi } from '../../lib/store'
import { StatusChip } from '../../ui/StatusChip'
import { ScheduleStatus, useSchedules } from '../schedule'
import { Time } from '../../ui/Time'
import { chipTextWidth, fitChips } from './scope-chips'

const ROW_HEIGHT = 44
/** The sticky header's height (theme.css .thead): rows start below it in the one scroll region. */
const HEAD_HEIGHT = 36
const COLUMNS: {
  id: SortColumn | 'scopes'
  label: string
  sortable: boolean
}[] = [
  { id: 'name', label: 'Name', sortable: true },
  { id: 'key_preview', label: 'Key', sortable: true },
  { id: 'scopes', label: 'Scopes', sortable: false },
  { id: 'status', label: 'Status', sortable: true },
  { id: 'created_at', label: 'Created', sortable: true },
  { id: 'expires_at', label: 'Expires', sortable: true },
  { id: 'last_used_at', label: 'Last used', sortable: true },
  { id: 'created_by', label: 'Created by', sortable: true }
]

/**
 * The grid's last measured size and scopes column width. A table mounted again (a tenant switch
 * remounts the view) starts from them, so its first render already has the rows and chips the
 * measurement will confirm, instead of rendering no rows and then every row a second time once
 * measured; a different size is measured before paint and corrects it, as before.
 */
let lastGridRect: Rect | undefined
let lastScopesWidth = 160
const observeGridRect: typeof observeElementRect = (instance, cb) =>
  observeElementRect(instance, (rect) => {
    lastGridRect = rect
    cb(rect)
  })

const Row = memo(function Row({
  k,
  index,
  now,
  checked,
  selected,
  focused,
  pendingRotation,
  own,
  selectable,
  nameOf,
  onCheck,
  onOpen,
  top,
  scopesWidth,
  statusNote,
  schedule,
  clockOffset,
  readOnly
}: {
  k: ApiKey
  index: number
  now: number
  checked: boolean
  selected: boolean
  focused: boolean
  pendingRotation: boolean
  own: boolean
  selectable: boolean
  nameOf: (id: string | null) => string | null
  onCheck: (id: string, index: number, e: MouseEvent) => void
  onOpen: (id: string, index: number) => void
  top: number
  scopesWidth: number
  statusNote?: ReactNode
  /** The key's live scheduled revoke, if any, and main's clock carried onto ours (useSchedules). */
  schedule: ScheduledRevoke | undefined
  clockOffset: number
  /** A locked read-only tenant: no checkbox at all (write controls are absent, not disabled). */
  readOnly: boolean
}) {
  const status = keyStatus(k, now)
  const chips = fitChips(k.scopes, scopesWidth, chipTextWidth)
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-key-id={k.id}
      id={`row-${k.id}`}
      className={`tr ${selected ? 'selected' : ''} ${focused ? 'focused' : ''} ${status === 'revoked' ? 'is-revoked' : ''}`}
      style={{ transform: `translateY(${top}px)` }}
      onClick={() => onOpen(k.id, index)}
    >
      <div role="gridcell" className="td td-check" onClick={(e) => e.stopPropagation()}>
        {!readOnly && (
          <input
            type="checkbox"
            aria-label={`Select ${k.name}`}
            checked={checked}
            disabled={!selectable}
            title={own ? "KeyDesk's own admin key for this tenant is never bulk-selected" : undefined}
            onChange={() => {}}
            onClick={(e) => onCheck(k.id, index, e)}
            tabIndex={-1}
          />
        )}
      </div>
      <div role="gridcell" className={`td td-name ${own ? 'is-own' : ''}`} title={k.name}>
        <span className="name-text">{k.name}</span>
        {own && (
          <span className="chip own-chip" title="KeyDesk's own admin key for this tenant">
            KeyDesk<span className="own-long">&apos;s admin key</span>
          </span>
        )}
      </div>
      <div role="gridcell" className="td td-key_preview">
        <code>{k.key_preview}</code>
      </div>
      <div role="gridcell" className="td td-scopes">
        {chips.shown.map((sc) => (
          <span key={sc} className="chip scope-chip">
            {sc}
          </span>
        ))}
        {chips.more > 0 && (
          // role="img" gives the "+N" chip a real accessible name: the whole list, like its tooltip.
          <span
            className="chip scope-chip more-chip"
            role="img"
            title={k.scopes.join(', ')}
            aria-label={`${k.scopes.length} scopes: ${k.scopes.join(', ')}`}
          >
            +{chips.more}
          </span>
        )}
      </div>
      <div role="gridcell" className="td td-status">
        <StatusChip status={status} />
        {/* Second line of the status cell: "rotation pending" and any caller's note, never clipped beside the chip. */}
        {pendingRotation && status !== 'revoked' && <span className="status-note">rotation pending</span>}
        {statusNote && <span className="status-note">{statusNote}</span>}
        {status !== 'revoked' && schedule && <ScheduleStatus schedule={schedule} clockOffset={clockOffset} />}
      </div>
      <div role="gridcell" className="td td-created_at">
        <Time value={k.created_at} />
      </div>
      <div role="gridcell" className="td td-expires_at">
        <Time value={k.expires_at} never="never expires" ahead />
      </div>
      <div role="gridcell" className="td td-last_used_at">
        <Time value={k.last_used_at} never="never used" />
      </div>
      <div role="gridcell" className="td td-created_by muted" title={k.created_by ?? undefined}>
        {k.created_by ? (nameOf(k.created_by) ?? `${k.created_by.slice(0, 8)}…`) : '—'}
      </div>
    </div>
  )
})

export function KeysTable({
  keys,
  now,
  sort,
  onSort,
  pendingRotations,
  nameOf,
  tenant,
  statusNote,
  firstRowsOf,
  readOnly = false
}: {
  keys: ApiKey[]
  now: number
  sort: KeySort
  onSort: (s: KeySort) => void
  pendingRotations: Set<string>
  nameOf: (id: string | null) => string | null
  /** The tenant whose admin key is flagged and never bulk-selected. */
  tenant: { id: string; adminKeyPreview: string | null }
  /** An extra line in a key's status cell (for example "revokes in 23 h"); null for none. */
  statusNote?: (k: ApiKey) => ReactNode
  /**
   * Set while `keys` are only the first rows of a list this long (a cold switch): the grid says
   * its real size, and what acts on the whole list (sort, select all, End, revoke) waits for it.
   */
  firstRowsOf?: number
  /** The tenant is read-only and locked: no selection, no Delete to revoke. */
  readOnly?: boolean
}) {
  const partial = firstRowsOf !== undefined
  const scrollRef = useRef<HTMLDivElement>(null)
  const checked = useUi((s) => s.checked)
  const setChecked = useUi((s) => s.setChecked)
  const selectedKeyId = useUi((s) => s.selectedKeyId)
  const selectKey = useUi((s) => s.selectKey)
  const openDialog = useUi((s) => s.openDialog)
  const [cursor, setCursor] = useState(0)
  const anchor = useRef<number | null>(null)
  // One schedules query for every row of the tenant shown.
  const schedules = useSchedules(tenant.id).data
  const scheduleOf = useMemo(() => {
    const byKey = new Map<string, ScheduledRevoke>()
    for (const s of schedules?.schedules ?? []) if (!byKey.has(s.keyId)) byKey.set(s.keyId, s)
    return byKey
  }, [schedules])

  // TanStack Virtual hands back functions the React Compiler cannot memoize; this hook is used as is.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtual = useVirtualizer({
    count: keys.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    // Header and rows share one scroll region (they scroll sideways together); rows start below
    // the sticky header, and a row scrolled to is never left under it.
    scrollMargin: HEAD_HEIGHT,
    scrollPaddingStart: HEAD_HEIGHT,
    initialRect: lastGridRect,
    observeElementRect: observeGridRect
  })

  // The scopes column's width decides which chips fit whole; one observer for every row.
  const scopesHeadRef = useRef<HTMLDivElement>(null)
  const [scopesWidth, setScopesWidth] = useState(lastScopesWidth)
  useLayoutEffect(() => {
    const el = scopesHeadRef.current
    if (!el || typeof ResizeObserver === 'undefined') return
    const measure = () => setScopesWidth((lastScopesWidth = Math.max(0, el.clientWidth - 16)))
    measure()
    const ro = new ResizeObserver(measure)
    ro.observe(el)
    return () => ro.disconnect()
  }, [])

  useEffect(() => {
    if (cursor >= keys.length) setCursor(Math.max(0, keys.length - 1))
  }, [keys.length, cursor])

  // The rows' handlers read the latest list and selection through a ref, so they keep their
  // identity and a memoized row re-renders only when its own props change (not on every keystroke).
  const latest = useRef({ checked, keys, now, tenant })
  useLayoutEffect(() => {
    latest.current = { checked, keys, now, tenant }
  })
  const onCheck = useCallback(
    (id: string, index: number, e: MouseEvent) => {
      const { checked, keys, now, tenant } = latest.current
      const next = new Set(checked)
      if (e.shiftKey && anchor.current !== null) {
        // Shift-click selects the range from the last click, skipping revoked keys.
        const [a, b] = [Math.min(anchor.current, index), Math.max(anchor.current, index)]
        for (const k of keys.slice(a, b + 1)) if (isSelectableForBulk(k, tenant, now)) next.add(k.id)
      } else if (next.has(id)) next.delete(id)
      else next.add(id)
      anchor.current = index
      setChecked(next)
    },
    [setChecked]
  )
  const onOpen = useCallback(
    (id: string, index: number) => {
      setCursor(index)
      selectKey(id)
    },
    [selectKey]
  )

  const onKeyDown = (e: KeyboardEvent) => {
    if (!keys.length) return
    const move = (to: number) => {
      const i = Math.max(0, Math.min(keys.length - 1, to))
      setCursor(i)
      // An open detail panel follows the keyboard selection.
      if (useUi.getState().selectedKeyId && keys[i]) selectKey(keys[i].id)
      virtual.scrollToIndex(i, { align: 'auto' })
      e.preventDefault()
    }
    const k = keys[cursor]
    switch (e.key) {
      case 'ArrowDown':
        return move(cursor + 1)
      case 'ArrowUp':
        return move(cursor - 1)
      case 'PageDown':
        return move(cursor + 10)
      case 'PageUp':
        return move(cursor - 10)
      case 'Home':
        return move(0)
      case 'End':
        // The last row is not in yet: End would stop at the first screenful's last.
        return partial ? e.preventDefault() : move(keys.length - 1)
      case 'Enter':
        if (k) selectKey(k.id)
        return e.preventDefault()
      case ' ':
        if (k && !readOnly && isSelectableForBulk(k, tenant, now)) {
          const next = new Set(checked)
          if (next.has(k.id)) next.delete(k.id)
          else next.add(k.id)
          setChecked(next)
        }
        return e.preventDefault()
      case 'Delete':
        // The revoke dialog reads its key from the whole list (write-block.ts says the same).
        if (k && !partial && !readOnly && !isRevoked(k, now)) openDialog({ kind: 'revoke', tenantId: tenant.id, keyId: k.id })
        return e.preventDefault()
    }
  }

  // Every selectable key of the view is only listed while something is ticked (nothing ticked:
  // "all checked" is false whatever the list), not on every keystroke over 10,000 keys.
  const anyChecked = checked.size > 0
  const allSelectable = useMemo(() => (anyChecked ? keys.filter((k) => isSelectableForBulk(k, tenant, now)) : null), [anyChecked, keys, now, tenant])
  const allChecked = allSelectable !== null && allSelectable.length > 0 && allSelectable.every((k) => checked.has(k.id))

  return (
    // A grid (it has a keyboard cursor), and itself the focusable scroll region for header and rows.
    <div
      ref={scrollRef}
      role="grid"
      aria-label="API keys"
      aria-rowcount={(firstRowsOf ?? keys.length) + 1}
      aria-multiselectable="true"
      aria-activedescendant={keys[cursor] ? `row-${keys[cursor].id}` : undefined}
      className="table"
      tabIndex={0}
      onKeyDown={onKeyDown}
    >
      <div role="rowgroup" className="thead">
        <div role="row" aria-rowindex={1} className="tr tr-head">
          <div role="columnheader" className="td td-check">
            {!readOnly && (
              <input
                type="checkbox"
                aria-label="Select all keys in this view"
                checked={allChecked}
                disabled={partial}
                onChange={() =>
                  setChecked(allChecked ? new Set() : new Set(keys.filter((k) => isSelectableForBulk(k, tenant, now)).map((k) => k.id)))
                }
              />
            )}
          </div>
          {COLUMNS.map((c) => {
            const active = sort.column === c.id
            return (
              <div
                key={c.id}
                ref={c.id === 'scopes' ? scopesHeadRef : undefined}
                role="columnheader"
                className={`td td-${c.id}`}
                aria-sort={active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : undefined}
              >
                {c.sortable ? (
                  <button
                    type="button"
                    className="sort-button"
                    disabled={partial}
                    onClick={() =>
                      onSort({
                        column: c.id as SortColumn,
                        direction: active && sort.direction === 'asc' ? 'desc' : 'asc'
                      })
                    }
                  >
                    {c.label}
                    <span aria-hidden="true">{active ? (sort.direction === 'asc' ? ' ▲' : ' ▼') : ''}</span>
                  </button>
                ) : (
                  c.label
                )}
              </div>
            )
          })}
        </div>
      </div>
      <div role="rowgroup" className="tbody" style={{ height: virtual.getTotalSize() }}>
        {virtual.getVirtualItems().map((v) => {
          const k = keys[v.index]!
          return (
            <Row
              key={k.id}
              k={k}
              index={v.index}
              top={v.start - HEAD_HEIGHT}
              scopesWidth={scopesWidth}
              statusNote={statusNote?.(k)}
              schedule={scheduleOf.get(k.id)}
              clockOffset={scheduleOf.has(k.id) ? (schedules?.clockOffset ?? 0) : 0}
              now={now}
              checked={checked.has(k.id)}
              selected={selectedKeyId === k.id}
              focused={cursor === v.index}
              pendingRotation={pendingRotations.has(k.id)}
              own={isOwnAdminKey(k, tenant)}
              selectable={isSelectableForBulk(k, tenant, now)}
              nameOf={nameOf}
              onCheck={onCheck}
              onOpen={onOpen}
              readOnly={readOnly}
            />
          )
        })}
      </div>
    </div>
  )
}
