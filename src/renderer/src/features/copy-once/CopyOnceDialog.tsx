import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from 'react'
import type { TenantView } from '../../../../shared/tenants'
import { describeError } from '../../lib/errors'
import { exactUtc } from '../../lib/time'
import { Time } from '../../ui/Time'
import { Dialog } from '../../ui/Dialog'
import { clearIfUnchanged, clipboardStatusText, type BrowserClearOutcome } from './browser-clipboard'
import { useRevealSlot } from './reveal-slot'

const CLEAR_AFTER_MS = 30_000

/** "mqu_live_...x7Kf" → "mqu_live_••••••••••••••••x7Kf": the preview with the hidden middle as dots. */
function masked(preview: string): string {
  const dots = '•'.repeat(24)
  const i = preview.indexOf('...')
  if (i >= 0) return `${preview.slice(0, i)}${dots}${preview.slice(i + 3)}`
  return `${preview}${dots}`
}

/** SHA-256 of a string, so the browser fallback can recognise its clipboard later without keeping the key. */
async function digest(text: string): Promise<string> {
  const bytes = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)))
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

/** Best effort: after the delay, clear the browser clipboard if it still holds the key. Keeps only a hash. */
function scheduleBrowserClear(hash: string, done: (outcome: BrowserClearOutcome) => void) {
  setTimeout(() => void clearIfUnchanged(navigator.clipboard, hash, digest).then(done), CLEAR_AFTER_MS)
}

/**
 * The one time a new key's plaintext can be seen. It lives in main's reveal slot; this component
 * holds it in local state only while "Reveal key" is on, and the slot is discarded on every close.
 */
export function CopyOnceDialog({
  tenant,
  keyName,
  preview,
  revealId,
  scopes,
  expiresAt,
  details,
  title = 'Copy your new key',
  onDone
}: {
  tenant: TenantView
  keyName: string
  preview: string
  revealId: string
  /** Restated so the operator files the key with what it may do and how long it lives. */
  scopes?: readonly string[]
  expiresAt?: string | null
  /** More about the key, shown under its name (a campaign's replacement: the old key and its last use). */
  details?: ReactNode
  title?: string
  /** `stored`: closed with "I have stored this key" ticked. */
  onDone: (stored: boolean) => void
}) {
  const [plaintext, setPlaintext] = useState<string | null>(null)
  const [stored, setStored] = useState(false)
  const [confirmingClose, setConfirmingClose] = useState(false)
  const [clearsAt, setClearsAt] = useState<number | null>(null)
  // Whose clipboard holds the key, and (browser only) what clearing it found.
  const [copiedVia, setCopiedVia] = useState<'main' | 'browser'>('main')
  const [browserClear, setBrowserClear] = useState<BrowserClearOutcome | null>(null)
  const [now, setNow] = useState(() => Date.now())
  const [busy, setBusy] = useState<'reveal' | 'copy' | null>(null)
  const [error, setError] = useState<string | null>(null)
  const closed = useRef(false)
  const storedNow = useRef(false)
  useEffect(() => {
    storedNow.current = stored
  }, [stored])
  const slot = useRevealSlot(revealId)
  const noteId = useId()
  const storedRef = useRef<HTMLInputElement>(null)
  const copyRef = useRef<HTMLButtonElement>(null)
  // Start on "Copy key" rather than the dialog's × button.
  useEffect(() => copyRef.current?.focus(), [])
  const prod = tenant.environment === 'production'

  // Tick only while a countdown runs.
  useEffect(() => {
    if (clearsAt === null) return
    const t = setInterval(() => {
      const n = Date.now()
      setNow(n)
      if (n >= clearsAt) clearInterval(t)
    }, 250)
    return () => clearInterval(t)
  }, [clearsAt])

  const close = useCallback(() => {
    if (closed.current) return
    closed.current = true
    void slot.discard()
    setPlaintext(null)
    onDone(storedNow.current)
  }, [slot, onDone])

  // Unmounted any other way (tenant removed, dialog replaced): the slot is still discarded. Checked a
  // tick later so StrictMode's unmount-and-remount in development does not drop a live slot.
  const mounted = useRef(false)
  useEffect(() => {
    mounted.current = true
    return () => {
      mounted.current = false
      setTimeout(() => {
        if (!mounted.current && !closed.current) {
          closed.current = true
          void slot.discard()
        }
      }, 0)
    }
  }, [slot])

  const toggleReveal = async () => {
    setError(null)
    if (plaintext !== null) {
      setPlaintext(null)
      return
    }
    setBusy('reveal')
    try {
      const r = await slot.reveal()
      if (closed.current) return
      if (r.ok) setPlaintext(r.data.plaintext)
      else setError(describeError(r.error))
    } finally {
      setBusy(null)
    }
  }

  const copy = async () => {
    setError(null)
    setBusy('copy')
    try {
      const r = await slot.copy()
      if (closed.current) return
      if (r.ok) {
        setCopiedVia('main')
        setNow(Date.now())
        setClearsAt(r.data.clearsAt)
        return
      }
      if (r.error.code !== 'READ_ONLY') {
        setError(describeError(r.error))
        return
      }
      // No clipboard in main (the browser harness/preview): use the browser's, cleared the same way.
      const text = await slot.reveal()
      if (closed.current) return
      if (!text.ok) {
        setError(describeError(text.error))
        return
      }
      try {
        await navigator.clipboard.writeText(text.data.plaintext)
        setCopiedVia('browser')
        setBrowserClear(null)
        scheduleBrowserClear(await digest(text.data.plaintext), setBrowserClear)
        const at = Date.now()
        setNow(at)
        setClearsAt(at + CLEAR_AFTER_MS)
      } catch {
        setError('The browser did not allow copying. Reveal the key and copy it by hand.')
      }
    } finally {
      setBusy(null)
    }
  }

  const remaining = clearsAt === null ? null : Math.max(0, Math.ceil((clearsAt - now) / 1000))

  return (
    <Dialog title={title} onClose={close} dismissible={stored} onBlockedClose={() => setConfirmingClose(true)} describedBy={noteId} wide>
      <p id={noteId} className="callout callout-warn" style={{ margin: 0 }}>
        <strong>This is the only time the key is shown. KeyDesk does not store it.</strong> Store it in your secret manager now; MeshQu keeps only a
        hash.
      </p>
      <p style={{ margin: 0 }}>
        New key <strong>{keyName}</strong> for <strong>{tenant.label}</strong>
        {prod && <span className="env-badge env-production"> PRODUCTION</span>}
      </p>
      {details}
      {(scopes || expiresAt !== undefined) && (
        <dl className="fields copy-once-summary">
          {scopes && (
            <>
              <dt>Scopes</dt>
              <dd>
                {scopes.length
                  ? scopes.map((s) => (
                      <code key={s} className="chip scope-chip">
                        {s}
                      </code>
                    ))
                  : 'none'}
              </dd>
            </>
          )}
          {expiresAt !== undefined && (
            <>
              <dt>Expires</dt>
              <dd>
                {expiresAt === null ? (
                  'never expires'
                ) : (
                  <>
                    {exactUtc(expiresAt)} (<Time value={expiresAt} ahead />)
                  </>
                )}
              </dd>
            </>
          )}
        </dl>
      )}
      <code className="secret">{plaintext ?? masked(preview)}</code>
      <div className="form-actions" style={{ justifyContent: 'flex-start', alignItems: 'center' }}>
        <button type="button" className="button" aria-pressed={plaintext !== null} disabled={busy === 'reveal'} onClick={() => void toggleReveal()}>
          {plaintext === null ? 'Reveal key' : 'Hide key'}
        </button>
        <button ref={copyRef} type="button" className="button primary" disabled={busy === 'copy'} onClick={() => void copy()}>
          Copy key
        </button>
        <span role="status" className="muted">
          {clipboardStatusText(remaining, copiedVia, browserClear)}
        </span>
      </div>
      {error && (
        <p role="alert" className="callout callout-danger" style={{ margin: 0 }}>
          {error}
        </p>
      )}
      <label style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
        <input
          ref={storedRef}
          type="checkbox"
          checked={stored}
          onChange={(e) => {
            setStored(e.target.checked)
            if (e.target.checked) setConfirmingClose(false)
          }}
        />
        <span>I have stored this key</span>
      </label>
      {confirmingClose && !stored && (
        <div className="callout callout-danger" role="alertdialog" aria-label="Close without storing the key?" aria-describedby={`${noteId}-confirm`}>
          <p id={`${noteId}-confirm`} style={{ margin: '0 0 8px' }}>
            If you close now, <strong>{keyName}</strong> can never be shown again; you would have to revoke it and create another.
          </p>
          <div className="form-actions" style={{ justifyContent: 'flex-start' }}>
            <button
              type="button"
              className="button"
              autoFocus
              onClick={() => {
                setConfirmingClose(false)
                storedRef.current?.focus()
              }}
            >
              Keep it open
            </button>
            <button type="button" className="button danger" onClick={close}>
              Close without storing
            </button>
          </div>
        </div>
      )}
      <div className="form-actions">
        <button type="button" className="button primary" disabled={!stored} onClick={close}>
          Done
        </button>
      </div>
    </Dialog>
  )
}
