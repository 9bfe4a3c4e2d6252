import { useEffect, useState } from 'react'
import { create } from 'zustand'

/**
 * Short confirmations ("Key revoked") and the odd error. UI state only: never a secret, never
 * server data. A confirmation goes by itself after a few seconds (not while the pointer or focus
 * is on it, so it can be read at any pace); an error stays until dismissed.
 */
export type ToastTone = 'info' | 'error'
interface Toast {
  id: number
  text: string
  tone: ToastTone
}
interface ToastState {
  toasts: Toast[]
  show(text: string, tone?: ToastTone): void
  dismiss(id: number): void
}

/** How long a confirmation stays on screen. */
export const TOAST_MS = 6_000

let nextId = 1
export const useToasts = create<ToastState>((set) => ({
  toasts: [],
  show: (text, tone = 'info') => set((s) => ({ toasts: [...s.toasts, { id: nextId++, text, tone }] })),
  dismiss: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }))
}))

function ToastItem({ toast, onDismiss }: { toast: Toast; onDismiss: () => void }) {
  const [held, setHeld] = useState(false)
  useEffect(() => {
    if (toast.tone === 'error' || held) return
    const timer = setTimeout(() => useToasts.getState().dismiss(toast.id), TOAST_MS)
    return () => clearTimeout(timer)
  }, [toast.id, toast.tone, held])
  return (
    <p
      className={`toast toast-${toast.tone}`}
      onPointerEnter={() => setHeld(true)}
      onPointerLeave={() => setHeld(false)}
      onFocus={() => setHeld(true)}
      onBlur={() => setHeld(false)}
    >
      {toast.text}
      <button type="button" className="icon-button" aria-label={`Dismiss: ${toast.text}`} onClick={onDismiss}>
        ×
      </button>
    </p>
  )
}

/** The live region toasts appear in; errors are announced at once. */
export function Toasts() {
  const toasts = useToasts((s) => s.toasts)
  const dismiss = useToasts((s) => s.dismiss)
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((t) => (
        <ToastItem key={t.id} toast={t} onDismiss={() => dismiss(t.id)} />
      ))}
    </div>
  )
}
