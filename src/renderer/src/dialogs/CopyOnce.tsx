import { useEffect, useRef, useState } from 'react'
import { Dialog } from '../components/Dialog'
import { api } from '../lib/api'
import { describeError } from '../lib/errors'
import { useNow } from '../lib/use-now'

const CLEAR_AFTER_MS = 30_000

/**
 * The one time a new key's plaintext can be seen. It stays in main's reveal slot; this component
 * holds it only while "Reveal" is on, and the slot is discarded whenever the dialog closes.
 */
export function CopyOnceDialog({ keyName, preview, revealId, onDone }: { keyName: string; preview: string; revealId: string; onDone: () => void }) {
  const [plaintext, setPlaintext] = useState<string | null>(null)
  const [stored, setStored] = useState(false)
  const [clearsAt, setClearsAt] = useState<number | null>(null)
  const [confirmingClose, setConfirmingClose] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const now = useNow(500)
  const closed = useRef(false)

  const finish = () => {
    if (closed.current) return
    closed.current = true
    setPlaintext(null)
    void api().secrets.discard({ revealId })
    onDone()
  }
  // Unmounting any other way (tenant removed, window reload) still drops the slot.
  useEffect(
    () => () => {
      if (!closed.current) void api().secrets.discard({ revealId })
    },
    [revealId]
  )

  const reveal = async () => {
    if (plaintext !== null) return setPlaintext(null)
    const r = await api().secrets.reveal({ revealId })
    if (r.ok) setPlaintext(r.data.plaintext)
    else setError(describeError(r.error))
  }

  const copy = async () => {
    setError(null)
    const r = await api().secrets.copy({ revealId })
    if (r.ok) return setClearsAt(r.data.clearsAt)
    if (r.error.code !== 'READ_ONLY') return setError(describeError(r.error))
    // No main-process clipboard (browser preview): the browser's clipboard, cleared the same way.
    const text = await api().secrets.reveal({ revealId })
    if (!text.ok) return setError(describeError(text.error))
    try {
      await navigator.clipboard.writeText(text.data.plaintext)
      setClearsAt(Date.now() + CLEAR_AFTER_MS)
      const value = text.data.plaintext
      setTimeout(() => {
        void navigator.clipboard.readText().then(
          (t) => (t === value ? navigator.clipboard.writeText('') : undefined),
          () => {}
        )
      }, CLEAR_AFTER_MS)
    } catch {
      setError('The browser did not allow copying. Reveal the key and copy it by hand.')
    }
  }

  const remaining = clearsAt ? Math.max(0, Math.ceil((clearsAt - now) / 1000)) : null
  return (
    <Dialog title="Copy your new key" onClose={finish} dismissible={stored} onBlockedClose={() => setConfirmingClose(true)}>
      <p>
        <strong>{keyName}</strong> was created. This is the only time its key is shown: KeyDesk does not store it, and MeshQu keeps only a hash.
      </p>
      <code className="secret" aria-label={plaintext ? 'New key (revealed)' : 'New key (hidden)'}>
        {plaintext ?? `${preview.replace(/\.\.\..*$/, '')}${'•'.repeat(24)}${preview.slice(-4)}`}
      </code>
      <div className="form-actions" style={{ justifyContent: 'flex-start' }}>
        <button type="button" className="button" onClick={() => void reveal()}>
          {plaintext ? 'Hide key' : 'Reveal key'}
        </button>
        <button type="button" className="button primary" onClick={() => void copy()}>
          Copy key
        </button>
        {remaining !== null && (
          <span role="status" className="muted">
            {remaining > 0 ? `Copied. Clipboard clears in ${remaining} s` : 'Clipboard cleared'}
          </span>
        )}
      </div>
      {error && (
        <p role="alert" className="callout callout-danger">
          {error}
        </p>
      )}
      <label className="field" style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
        <input type="checkbox" checked={stored} onChange={(e) => setStored(e.target.checked)} />
        <span>I have stored this key</span>
      </label>
      {confirmingClose && !stored && (
        <div className="callout callout-warn" role="alertdialog" aria-label="Close without storing the key?">
          <p style={{ margin: '0 0 8px' }}>If you close now the key can never be shown again; you would have to revoke it and create another.</p>
          <div className="form-actions" style={{ justifyContent: 'flex-start' }}>
            <button type="button" className="button" onClick={() => setConfirmingClose(false)} autoFocus>
              Keep it open
            </button>
            <button type="button" className="button danger" onClick={finish}>
              Close without storing
            </button>
          </div>
        </div>
      )}
      <div className="form-actions">
        <button type="button" className="button primary" disabled={!stored} onClick={finish}>
          Done
        </button>
      </div>
    </Dialog>
  )
}
