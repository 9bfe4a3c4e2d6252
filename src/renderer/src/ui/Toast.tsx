import { create } from 'zustand'

/** Short confirmations ("Key revoked"). UI state only: never a secret, never server data. */
interface Toast {
  id: number
  text: string
}
interface ToastState {
  toasts: Toast[]
  show(text: string): void
  dismiss(id: number): void
}

let nextId = 1
export const useToasts = create<ToastState>((set) => ({
  toasts: [],
  show: (text) => set((s) => ({ toasts: [...s.toasts, { id: nextId++, text }] })),
  dismiss: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }))
}))

/** The live region toasts appear in; each stays until dismissed (no timer decides what was read). */
export function Toasts() {
  const toasts = useToasts((s) => s.toasts)
  const dismiss = useToasts((s) => s.dismiss)
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((t) => (
        <p key={t.id} className="toast">
          {t.text}
          <button type="button" className="icon-button" aria-label={`Dismiss: ${t.text}`} onClick={() => dismiss(t.id)}>
            ×
          </button>
        </p>
      ))}
    </div>
  )
}
