import { useVirtualizer } from '@tanstack/react-virtual'
import { memo, useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react'
import { isOwnAdminKey, isRevoked, isSelectableForBulk, keyStatus, type KeySort, type SortColumn } from '../../../../shared/key-view'
import type { ApiKey } from '../../../../shared/meshqu'
import { useUi } from '../../lib/store'
import { StatusChip } from '../../ui/StatusChip'
import { ScheduleStatus } from '../schedule/ScheduleStatus'
import { Time } from '../../ui/Time'

const ROW_HEIGHT = 44
const COLUMNS: { id: SortColumn | 'scopes'; label: string; sortable: boolean }[] = [
  { id: 'name', label: 'Name', sortable: true },
  { id: 'key_preview', label: 'Key', sortable: true },
  { id: 'scopes', label: 'Scopes', sortable: false },
  { id: 'status', label: 'Status', sortable: true },
  { id: 'created_at', label: 'Created', sortable: true },
  { id: 'expires_at', label: 'Expires', sortable: true },
  { id: 'last_used_at', label: 'Last used', sortable: true },
  { id: 'created_by', label: 'Created by', sortable: true }
]

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
  top
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
  onOpen: (id: string) => void
  top: number
}) {
  const status = keyStatus(k, now)
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-key-id={k.id}
      id={`row-${k.id}`}
      className={`tr ${selected ? 'selected' : ''} ${focused ? 'focused' : ''} ${status === 'revoked' ? 'is-revoked' : ''}`}
      style={{ transform: `translateY(${top}px)` }}
      onClick={() => onOpen(k.id)}
    >
      <div role="cell" className="td td-check" onClick={(e) => e.stopPropagation()}>
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
      </div>
      <div role="cell" className="td td-name" title={k.name}>
        {k.name}
        {own && <span className="chip own-chip">KeyDesk&apos;s admin key</span>}
      </div>
      <div role="cell" className="td td-preview">
        <code>{k.key_preview}</code>
      </div>
      <div role="cell" className="td td-scopes" title={k.scopes.join(', ')}>
        {k.scopes.slice(0, 2).map((s) => (
          <span key={s} className="chip scope-chip">
            {s}
          </span>
        ))}
        {k.scopes.length > 2 && (
          <span className="chip scope-chip" title={k.scopes.slice(2).join(', ')}>
            +{k.scopes.length - 2}
          </span>
        )}
      </div>
      <div role="cell" className="td">
        <StatusChip status={status} pending={pendingRotation} />
        {status !== 'revoked' && <ScheduleStatus keyId={k.id} />}
      </div>
      <div role="cell" className="td">
        <Time value={k.created_at} />
      </div>
      <div role="cell" className="td">
        <Time value={k.expires_at} never="never expires" />
      </div>
      <div role="cell" className="td">
        <Time value={k.last_used_at} never="never used" />
      </div>
      <div role="cell" className="td muted" title={k.created_by ?? undefined}>
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
  tenant
}: {
  keys: ApiKey[]
  now: number
  sort: KeySort
  onSort: (s: KeySort) => void
  pendingRotations: Set<string>
  nameOf: (id: string | null) => string | null
  /** The tenant whose admin key is flagged and never bulk-selected. */
  tenant: { adminKeyPreview: string | null }
}) {
  const scrollRef = useRef<HTMLDivElement>(null)
  const checked = useUi((s) => s.checked)
  const setChecked = useUi((s) => s.setChecked)
  const selectedKeyId = useUi((s) => s.selectedKeyId)
  const selectKey = useUi((s) => s.selectKey)
  const openDialog = useUi((s) => s.openDialog)
  const [cursor, setCursor] = useState(0)
  const anchor = useRef<number | null>(null)

  // TanStack Virtual hands back functions the React Compiler cannot memoize; this hook is used as is.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtual = useVirtualizer({ count: keys.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 12 })

  useEffect(() => {
    if (cursor >= keys.length) setCursor(Math.max(0, keys.length - 1))
  }, [keys.length, cursor])

  const onCheck = useCallback(
    (id: string, index: number, e: MouseEvent) => {
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
    [checked, keys, now, setChecked, tenant]
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
        return move(keys.length - 1)
      case 'Enter':
        if (k) selectKey(k.id)
        return e.preventDefault()
      case ' ':
        if (k && isSelectableForBulk(k, tenant, now)) {
          const next = new Set(checked)
          if (next.has(k.id)) next.delete(k.id)
          else next.add(k.id)
          setChecked(next)
        }
        return e.preventDefault()
      case 'Delete':
        if (k && !isRevoked(k, now)) openDialog({ kind: 'revoke', keyId: k.id })
        return e.preventDefault()
    }
  }

  const allSelectable = useMemo(() => keys.filter((k) => isSelectableForBulk(k, tenant, now)), [keys, now, tenant])
  const allChecked = allSelectable.length > 0 && allSelectable.every((k) => checked.has(k.id))

  return (
    <div
      role="table"
      aria-label="API keys"
      aria-rowcount={keys.length + 1}
      aria-activedescendant={keys[cursor] ? `row-${keys[cursor].id}` : undefined}
      className="table"
      tabIndex={0}
      onKeyDown={onKeyDown}
    >
      <div role="rowgroup" className="thead">
        <div role="row" aria-rowindex={1} className="tr tr-head">
          <div role="columnheader" className="td td-check">
            <input
              type="checkbox"
              aria-label="Select all keys in this view"
              checked={allChecked}
              onChange={() => setChecked(allChecked ? new Set() : new Set(allSelectable.map((k) => k.id)))}
            />
          </div>
          {COLUMNS.map((c) => {
            const active = sort.column === c.id
            return (
              <div
                key={c.id}
                role="columnheader"
                className={`td td-${c.id}`}
                aria-sort={active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : undefined}
              >
                {c.sortable ? (
                  <button
                    type="button"
                    className="sort-button"
                    onClick={() => onSort({ column: c.id as SortColumn, direction: active && sort.direction === 'asc' ? 'desc' : 'asc' })}
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
      <div ref={scrollRef} className="tbody-scroll">
        <div role="rowgroup" className="tbody" style={{ height: virtual.getTotalSize() }}>
          {virtual.getVirtualItems().map((v) => {
            const k = keys[v.index]!
            return (
              <Row
                key={k.id}
                k={k}
                index={v.index}
                top={v.start}
                now={now}
                checked={checked.has(k.id)}
                selected={selectedKeyId === k.id}
                focused={cursor === v.index}
                pendingRotation={pendingRotations.has(k.id)}
                own={isOwnAdminKey(k, tenant)}
                selectable={isSelectableForBulk(k, tenant, now)}
                nameOf={nameOf}
                onCheck={onCheck}
                onOpen={(id) => {
                  setCursor(v.index)
                  selectKey(id)
                }}
              />
            )
          })}
        </div>
      </div>
    </div>
  )
}
