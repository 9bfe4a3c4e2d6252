import { useEffect } from 'react'
import { useUi } from '../../lib/store'
import { useRadarUi } from './radar-store'

const typing = (el: EventTarget | null) => el instanceof HTMLElement && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName))

/**
 * `g` then `r` opens the radar (docs/UI.md keyboard map). A two-key sequence, like the other
 * single-letter shortcuts never while typing or with a dialog open, and with no timer: the key
 * after `g` either completes it or cancels it.
 */
export function useRadarShortcut() {
  useEffect(() => {
    let afterG = false
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || useUi.getState().dialog || typing(e.target)) {
        afterG = false
        return
      }
      if (afterG && e.key === 'r') {
        e.preventDefault()
        useRadarUi.getState().openRadar()
      }
      afterG = e.key === 'g' && !afterG
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
}
