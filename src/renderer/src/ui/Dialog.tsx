import { useEffect, useId, useRef, type ReactNode } from 'react'

interface DialogProps {
  /** The accessible name tests and screen readers use ("Create API key"). */
  title: string
  children: ReactNode
  onClose: () => void
  /** When false, Esc and the close button do nothing (the copy-once dialog before acknowledgement). */
  dismissible?: boolean
  /** Asked instead of closing when Esc is pressed while not dismissible. */
  onBlockedClose?: () => void
  tone?: 'default' | 'danger'
  wide?: boolean
  /** The whole window's height, for a dialog whose list scrolls in itself (the journal): one scrollbar, not two. */
  tall?: boolean
  describedBy?: string
}

/**
 * A modal on the native <dialog>: the browser traps focus and marks the rest inert; we move focus
 * in (first [autofocus] or field) and KeyDesk's store returns it to where it came from.
 */
export function Dialog({ title, children, onClose, dismissible = true, onBlockedClose, tone = 'default', wide, tall, describedBy }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  useEffect(() => {
    const d = ref.current
    if (!d) return
    if (!d.open) d.showModal()
    // Focus the first field of the body, not the header's close button (React 19 drops autofocus).
    const body = d.querySelector('.dialog-body')
    const first = body?.querySelector<HTMLElement>('[autofocus], input:not([type=hidden]):not([disabled]), select, textarea, button:not([disabled])')
    first?.focus()
  }, [])
  return (
    <dialog
      ref={ref}
      className={`dialog ${tone === 'danger' ? 'dialog-danger' : ''} ${wide ? 'dialog-wide' : ''} ${tall ? 'dialog-tall' : ''}`}
      aria-labelledby={titleId}
      aria-describedby={describedBy}
      onCancel={(e) => {
        e.preventDefault()
        if (dismissible) onClose()
        else onBlockedClose?.()
      }}
      onClose={() => {
        // Chromium closes a modal on a second Esc even when "cancel" was prevented. Only React
        // decides when a dialog goes away: reopen it, and treat it as a close request.
        const d = ref.current
        if (d && d.isConnected && !d.open) d.showModal()
        if (dismissible) onClose()
        else onBlockedClose?.()
      }}
    >
      <header className="dialog-head">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="icon-button" aria-label="Close" onClick={() => (dismissible ? onClose() : onBlockedClose?.())}>
          ×
        </button>
      </header>
      <div className="dialog-body">{children}</div>
    </dialog>
  )
}
