import { useMemo, useState } from 'react'
import type { TenantView } from '../../../../shared/tenants'
import { useUi } from '../../lib/store'
import { Dialog } from '../../ui/Dialog'
import { EnvBadge } from '../../ui/EnvBadge'
import { fuzzyFilter } from './fuzzy'

/** Ctrl/Cmd+K: type a few letters of a tenant, Enter to switch. */
export function QuickSwitcher({ tenants, onSelect }: { tenants: TenantView[]; onSelect: (id: string) => void }) {
  const close = useUi((s) => s.closeDialog)
  const [query, setQuery] = useState('')
  const [index, setIndex] = useState(0)
  const matches = useMemo(() => fuzzyFilter(tenants, query, (t) => `${t.label} ${t.environment}`), [tenants, query])
  const pick = (t: TenantView | undefined) => {
    if (!t) return
    close()
    onSelect(t.id)
  }
  return (
    <Dialog title="Switch tenant" onClose={close}>
      <input
        type="text"
        role="combobox"
        aria-label="Tenant name"
        aria-expanded="true"
        aria-controls="switcher-list"
        aria-activedescendant={matches[index] ? `switch-${matches[index].id}` : undefined}
        placeholder="Type a tenant name…"
        value={query}
        autoFocus
        onChange={(e) => {
          setQuery(e.target.value)
          setIndex(0)
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') setIndex((i) => Math.min(matches.length - 1, i + 1))
          else if (e.key === 'ArrowUp') setIndex((i) => Math.max(0, i - 1))
          else if (e.key === 'Enter') pick(matches[index])
          else return
          e.preventDefault()
        }}
      />
      <ul id="switcher-list" role="listbox" aria-label="Tenants" className="switcher-list">
        {matches.map((t, i) => (
          <li
            key={t.id}
            id={`switch-${t.id}`}
            role="option"
            aria-selected={i === index}
            className="switcher-item"
            onMouseEnter={() => setIndex(i)}
            onClick={() => pick(t)}
          >
            <span>{t.label}</span>
            <EnvBadge env={t.environment} />
          </li>
        ))}
        {matches.length === 0 && <li className="muted">No tenant matches “{query}”.</li>}
      </ul>
    </Dialog>
  )
}
