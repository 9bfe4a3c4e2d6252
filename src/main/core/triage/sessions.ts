import { randomUUID } from 'node:crypto'
import { CoreError } from '../errors'
import { holdSecret } from '../redact'

/** How long main keeps a pasted key for Check validity and Contain. */
export const TRIAGE_TTL_MS = 15 * 60_000

interface Session {
  keys: Map<string, string>
  expiresAt: number
  release: (() => void)[]
  timer: NodeJS.Timeout
}

/**
 * The pasted keys of open triages, in main's memory only (like the reveal slots): each is
 * registered for exact redaction while held, so no log line or error can carry it, and forgotten
 * when the dialog closes or after TRIAGE_TTL_MS. The renderer holds a session id and per-key refs.
 */
export function createTriageSessions(opts: { now: () => number; ttlMs?: number }) {
  const ttl = opts.ttlMs ?? TRIAGE_TTL_MS
  const sessions = new Map<string, Session>()

  function close(id: string): boolean {
    const s = sessions.get(id)
    if (!s) return false
    clearTimeout(s.timer)
    for (const r of s.release) r()
    s.keys.clear()
    sessions.delete(id)
    return true
  }

  return {
    /** Holds the keys; returns the session id and each key's ref, in order. */
    open(keys: readonly string[]): { sessionId: string; refs: string[]; expiresAt: number } {
      const sessionId = randomUUID()
      const map = new Map<string, string>()
      const refs = keys.map((k) => {
        const ref = randomUUID()
        map.set(ref, k)
        return ref
      })
      const expiresAt = opts.now() + ttl
      const timer = setTimeout(() => close(sessionId), ttl)
      timer.unref()
      sessions.set(sessionId, { keys: map, expiresAt, release: keys.map((k) => holdSecret(k)), timer })
      return { sessionId, refs, expiresAt }
    },
    /** The held key, or NOT_FOUND once the session was closed or expired. */
    key(sessionId: string, ref: string): string {
      const s = sessions.get(sessionId)
      const key = s && s.expiresAt > opts.now() ? s.keys.get(ref) : undefined
      if (!key) {
        throw new CoreError('NOT_FOUND', 'KeyDesk no longer holds this pasted key (the triage was closed or expired). Paste it again.')
      }
      return key
    },
    close,
    /** How many sessions hold keys (tests). */
    size: () => sessions.size,
    dispose() {
      for (const id of [...sessions.keys()]) close(id)
    }
  }
}

export type TriageSessions = ReturnType<typeof createTriageSessions>
