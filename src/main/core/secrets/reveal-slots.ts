import { randomUUID } from 'node:crypto'
import type { ClipboardPort } from '../ports'
import { CoreError } from '../errors'
import { holdSecret } from '../redact'

/**
 * One-time reveal slots: a freshly created key's plaintext lives here, in main's memory only,
 * until the copy-once dialog closes or the slot expires. The renderer holds only the slot id.
 */
export interface RevealSlots {
  /** `tenant` ties the slot to the tenant whose key it is, so removing the tenant discards it. */
  put(plaintext: string, tenant?: string): { revealId: string; expiresAt: number }
  reveal(id: string): string
  /** Copies through main's clipboard and clears it after `clearAfterMs` if it still holds the key. */
  copy(id: string, clipboard: ClipboardPort | undefined): { clearsAt: number }
  discard(id: string): boolean
  /** Discards every slot of a tenant (the tenant was removed); returns how many. */
  discardTenant(tenant: string): number
  /** How many slots are live for a tenant. */
  countFor(tenant: string): number
  dispose(): Promise<void>
}

export interface RevealSlotOptions {
  ttlMs?: number
  clearAfterMs?: number
  now?: () => number
  setTimer?: (fn: () => void, ms: number) => { unref?: () => void } | number
  clearTimer?: (handle: unknown) => void
}

export function createRevealSlots(opts: RevealSlotOptions = {}): RevealSlots {
  const ttlMs = opts.ttlMs ?? 5 * 60_000
  const clearAfterMs = opts.clearAfterMs ?? 30_000
  const now = opts.now ?? Date.now
  const setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms))
  const clearTimer = opts.clearTimer ?? ((h) => clearTimeout(h as NodeJS.Timeout))
  // Each plaintext is registered for exact redaction while its slot lives.
  const slots = new Map<string, { plaintext: string; tenant: string | undefined; expiresAt: number; timer: unknown; release: () => void }>()
  // Pending clipboard clears, run early on dispose so quitting never leaves a key on the clipboard.
  const clipboardClears = new Map<unknown, () => Promise<void> | void>()

  const live = (id: string) => {
    const slot = slots.get(id)
    if (!slot || slot.expiresAt <= now()) {
      if (slot) discard(id)
      throw new CoreError(
        'NOT_FOUND',
        'This key can no longer be shown: the one-time view was closed or expired. Create a new key if it was not stored.'
      )
    }
    return slot
  }

  function discard(id: string): boolean {
    const slot = slots.get(id)
    if (!slot) return false
    clearTimer(slot.timer)
    slot.release()
    slots.delete(id)
    return true
  }

  return {
    put(plaintext, tenant) {
      const revealId = randomUUID()
      const expiresAt = now() + ttlMs
      const timer = setTimer(() => discard(revealId), ttlMs)
      if (typeof timer === 'object') timer.unref?.()
      slots.set(revealId, { plaintext, tenant, expiresAt, timer, release: holdSecret(plaintext) })
      return { revealId, expiresAt }
    },
    reveal: (id) => live(id).plaintext,
    copy(id, clipboard) {
      const { plaintext } = live(id)
      if (!clipboard) throw new CoreError('READ_ONLY', 'No clipboard is available here; reveal the key and copy it by hand.')
      clipboard.writeText(plaintext)
      const clear = (): Promise<void> | void => {
        clipboardClears.delete(handle)
        // Only clear what we put there: the operator may have copied something else since.
        const check = (current: string) => {
          if (current === plaintext) clipboard.writeText('')
        }
        const current = clipboard.readText()
        if (typeof current === 'string') return check(current)
        return current.then(check, () => {})
      }
      const handle = setTimer(() => void clear(), clearAfterMs)
      if (typeof handle === 'object') handle.unref?.()
      clipboardClears.set(handle, clear)
      return { clearsAt: now() + clearAfterMs }
    },
    discard,
    discardTenant(tenant) {
      const ids = [...slots].filter(([, slot]) => slot.tenant === tenant).map(([id]) => id)
      for (const id of ids) discard(id)
      return ids.length
    },
    countFor: (tenant) => [...slots.values()].filter((slot) => slot.tenant === tenant).length,
    async dispose() {
      for (const id of [...slots.keys()]) discard(id)
      const pending = [...clipboardClears].map(([handle, clear]) => {
        clearTimer(handle)
        return clear()
      })
      await Promise.all(pending)
    }
  }
}
