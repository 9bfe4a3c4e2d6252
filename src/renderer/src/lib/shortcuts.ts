import { useEffect } from 'react'
import type { TenantView } from '../../../shared/tenants'
import { useUi } from './store'

const typing = (el: EventTarget | null) =>
  el instanceof HTMLElement && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName))

/**
 * The keyboard map (docs/UI.md): Ctrl/Cmd+K switcher, Ctrl/Cmd+1…9 tenant n, `/` search,
 * `n` create key. Single-letter shortcuts never fire while typing or with a dialog open.
 */
export function useShortcuts(tenants: TenantView[], select: (id: string) => void) {
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
      if (e.key === '/') {
        const search = document.querySelector<HTMLInputElement>('[data-shortcut="search"]')
        if (search) {
          e.preventDefault()
          search.focus()
          search.select()
        }
      } else if (e.key === 'n' && ui.activeTenantId) {
        const create = [...document.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent === 'Create key')
        if (create && !create.disabled) {
          e.preventDefault()
          ui.openDialog({ kind: 'create-key' })
        }
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [tenants, select])
}
