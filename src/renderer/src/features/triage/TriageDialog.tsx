import { useEffect, useRef, useState, type FormEvent } from 'react'
import { TRIAGE_TEXT_MAX, type TriageScan, type TriageSession } from '../../../../shared/triage'
import type { TenantView } from '../../../../shared/tenants'
import { api, appErrorOf, unwrap } from '../../lib/api'
import { useUi } from '../../lib/store'
import { Dialog } from '../../ui/Dialog'
import { ErrorCallout } from '../../ui/ErrorCallout'
import { CopyOnceDialog } from '../copy-once'
import { useTenants } from '../tenants'
import { FindingView, type ContainedMap, type Handover } from './FindingView'
import { closeTriage, startTriage } from './queries'
import { NOT_A_KEY } from './words'
import './triage.css'

const POLL_MS = 200

/**
 * "Whose key is this?": a pasted key or log excerpt, or a file or folder read in main. The text
 * goes to main once and the field is cleared as soon as main has it; the results name keys by
 * their masked preview only. Closing the dialog tells main to forget the pasted keys.
 */
export function TriageDialog({ session: given }: { session?: TriageSession }) {
  const close = useUi((s) => s.closeDialog)
  const tenants = useTenants().data?.tenants ?? []
  const [text, setText] = useState('')
  const [session, setSession] = useState<TriageSession | null>(given ?? null)
  const [pending, setPending] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const [scan, setScan] = useState<TriageScan | null>(null)
  const [askPath, setAskPath] = useState(false)
  const [path, setPath] = useState('')
  const [handover, setHandover] = useState<(Handover & { tenant: TenantView }) | null>(null)
  const [contained, setContained] = useState<ContainedMap>({})
  const sessionRef = useRef<string | null>(given?.sessionId ?? null)
  const resultsRef = useRef<HTMLHeadingElement>(null)

  // Main forgets the previous session's keys when a new one replaces it, and all of them on close.
  const adopt = (next: TriageSession) => {
    if (sessionRef.current && sessionRef.current !== next.sessionId) closeTriage(sessionRef.current)
    sessionRef.current = next.sessionId
    setSession(next)
    requestAnimationFrame(() => resultsRef.current?.focus())
  }
  useEffect(() => () => void (sessionRef.current && closeTriage(sessionRef.current)), [])

  const find = async (e: FormEvent) => {
    e.preventDefault()
    const sent = text
    if (!sent.trim() || pending) return
    setPending(true)
    setError(null)
    // Cleared at once: the only copy left is the one on its way to main.
    setText('')
    try {
      adopt(await startTriage(sent))
    } catch (err) {
      setError(err)
    } finally {
      setPending(false)
    }
  }

  // A running scan is polled until it ends; its session then shows like a paste's.
  useEffect(() => {
    if (!scan || scan.state !== 'running') return
    const timer = setTimeout(async () => {
      try {
        const next = unwrap(await api().triage.scanStatus({ scanId: scan.scanId }))
        setScan(next)
        if (next.state === 'done' && next.session) adopt(next.session)
      } catch (err) {
        setError(err)
        setScan(null)
      }
    }, POLL_MS)
    return () => clearTimeout(timer)
  }, [scan])

  const startScan = async (typed?: string) => {
    setError(null)
    try {
      const started = unwrap(await api().triage.scan(typed === undefined ? {} : { path: typed }))
      if (started) setScan(started)
    } catch (err) {
      const e = appErrorOf(err)
      // No OS dialog here (the web preview): the operator types the path instead.
      if (e.code === 'VALIDATION' && e.fields?.path) setAskPath(true)
      else setError(err)
    }
  }

  if (handover) {
    return (
      <CopyOnceDialog
        tenant={handover.tenant}
        keyName={handover.key.name}
        preview={handover.key.key_preview}
        revealId={handover.revealId}
        scopes={handover.key.scopes}
        expiresAt={handover.key.expires_at}
        onDone={() => setHandover(null)}
      />
    )
  }

  const running = scan?.state === 'running'
  return (
    <Dialog title="Whose key is this?" onClose={close} wide>
      <form className="form" onSubmit={find} noValidate>
        <label className="field">
          <span>Key or text</span>
          <textarea
            className="triage-input"
            rows={4}
            value={text}
            maxLength={TRIAGE_TEXT_MAX}
            onChange={(e) => setText(e.target.value)}
            spellCheck={false}
            autoComplete="off"
            autoFocus
            aria-describedby="triage-hint"
            placeholder="Paste a key, or a log excerpt holding keys"
          />
          <span className="hint" id="triage-hint">
            Sent to KeyDesk&apos;s main process once and cleared here at once. Every key in it is matched across all tenants, offline; results show
            keys masked.
          </span>
        </label>
        <div className="form-actions">
          <button type="button" className="button" onClick={() => void startScan()} disabled={running}>
            Scan a file or folder…
          </button>
          <span className="spacer" />
          <button type="submit" className="button primary" disabled={pending || !text.trim()}>
            {pending ? 'Finding…' : 'Find'}
          </button>
        </div>
      </form>
      {askPath && !running && (
        <form
          className="form triage-path"
          onSubmit={(e) => {
            e.preventDefault()
            if (path.trim()) void startScan(path.trim())
          }}
        >
          <label className="field">
            <span>File or folder to scan</span>
            <input
              type="text"
              value={path}
              onChange={(e) => setPath(e.target.value)}
              autoComplete="off"
              aria-describedby="triage-path-hint"
              autoFocus
            />
            <span className="hint" id="triage-path-hint">
              There is no file dialog here: type the path on this computer. Binaries and files over 2 MB are skipped.
            </span>
          </label>
          <div className="form-actions">
            <button type="submit" className="button" disabled={!path.trim()}>
              Scan
            </button>
          </div>
        </form>
      )}
      {scan && <ScanProgress scan={scan} />}
      <ErrorCallout error={error} />
      {session && (
        <section aria-labelledby="triage-results" className="triage-results">
          <h2 id="triage-results" tabIndex={-1} ref={resultsRef}>
            {session.notAKey ? 'Not a MeshQu key' : `${session.findings.length} key${session.findings.length === 1 ? '' : 's'} found`}
          </h2>
          {session.notAKey ? (
            <p role="status">{NOT_A_KEY}</p>
          ) : (
            <p role="status" className="muted">
              {session.findings.length} key{session.findings.length === 1 ? '' : 's'} found
              {session.more ? `, and ${session.more} more not matched (triage fewer at once)` : ''}.
            </p>
          )}
          {session.findings.map((f) => (
            <FindingView
              key={f.ref}
              sessionId={session.sessionId}
              finding={f}
              tenants={tenants}
              contained={contained}
              onContained={(key, out) => setContained((c) => ({ ...c, [key]: out }))}
              onHandover={(h) => {
                const t = tenants.find((x) => x.id === h.tenantId)
                if (t) setHandover({ ...h, tenant: t })
              }}
            />
          ))}
        </section>
      )}
    </Dialog>
  )
}

function ScanProgress({ scan }: { scan: TriageScan }) {
  const skipped = scan.skippedBinary + scan.skippedLarge + scan.skippedOther
  return (
    <div className="triage-scan">
      <p role="status">
        {scan.state === 'running'
          ? 'Scanning'
          : scan.state === 'done'
            ? 'Scanned'
            : scan.state === 'cancelled'
              ? 'Scan cancelled in'
              : 'Scan failed in'}{' '}
        <code>{scan.root}</code>: {scan.filesRead.toLocaleString()} file{scan.filesRead === 1 ? '' : 's'} read, {scan.keysFound} key
        {scan.keysFound === 1 ? '' : 's'} found, {skipped.toLocaleString()} skipped ({scan.skippedBinary} binary, {scan.skippedLarge} too large,{' '}
        {scan.skippedOther} unreadable).
        {scan.error ? ` ${scan.error}` : ''}
      </p>
      {scan.state === 'running' && (
        <button type="button" className="button" onClick={() => void api().triage.scanCancel({ scanId: scan.scanId })}>
          Cancel scan
        </button>
      )}
    </div>
  )
}
