import { useEffect } from 'react'
import type { TenantView } from '../../../shared/tenants'
import { useUi } from './store'

const typing = (el: EventTarget | null) => el instanceof HTMLElement && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName))

/**
 * The keyboard map (docs/UI.md): Ctrl/Cmd+K switcher, Ctrl/Cmd+1…9 tenant n, `/` search,
 * `n` create key, `j` journal, `u` unlock writes (a read-only tenant's), `w` "Whose key is this?" (leak triage). Single-letter shortcuts never fire while typing or with a dialog open. Each acts
 * on state (`canCreateKey` is the same rule that enables the Create key button), never on what
 * the page happens to show.
 */
export function useShortcuts(tenants: TenantView[], select: (id: string) => void, canCreateKey: boolean, canUnlock = false) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const ui = useUi.getState()
      const mod = e.ctrlKey || e.metaKey
      if (mod && e.key.toLowerCase() === 'k') {
        e.preventDefault()
        if (!ui.dialog) ui.openDialog({ kind: 'switcher' })
        return
      }
      if (mod && /^[1-9]$/.test(e.key)) {
        const t = tenants[Number(e.key) - 1]
        if (t && !ui.dialog) {
          e.preventDefault()
          select(t.id)
        }
        return
      }
      if (mod || e.altKey || ui.dialog || typing(e.target)) return
      if (e.key === '/' && ui.activeTenantId) {
        e.preventDefault()
        ui.requestSearchFocus()
      } else if (e.key === 'j') {
        e.preventDefault()
        ui.openDialog({ kind: 'journal' })
      } else if (e.key === 'w') {
        e.preventDefault()
        ui.openDialog({ kind: 'triage' })
      } else if (e.key === 'n' && ui.activeTenantId && canCreateKey) {
        e.preventDefault()
        ui.openDialog({ kind: 'create-key', tenantId: ui.activeTenantId })
      } else if (e.key === 'u' && ui.activeTenantId && canUnlock) {
        e.preventDefault()
        ui.openDialog({ kind: 'unlock', tenantIds: [ui.activeTenantId] })
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [tenants, select, canCreateKey, canUnlock])
}
