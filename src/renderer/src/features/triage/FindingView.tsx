import { useState, type FormEvent } from 'react'
import type { ApiKey } from '../../../../shared/meshqu'
import type { TenantView } from '../../../../shared/tenants'
import { TRIAGE_WHERE_MAX, type TriageContained, type TriageFinding, type TriageMatch, type Validity } from '../../../../shared/triage'
import { api, unwrap } from '../../lib/api'
import { TypeBackField } from '../../ui/ConfirmWrite'
import { EnvBadge } from '../../ui/EnvBadge'
import { ErrorCallout } from '../../ui/ErrorCallout'
import { StatusChip } from '../../ui/StatusChip'
import { Time } from '../../ui/Time'
import { UnlockFields, useUnlockList, writesLocked, type UnlockMinutes } from '../protection'
import { useAfterContain } from './queries'
import { resultLine, VERDICT_LABEL } from './words'

/** A replacement's plaintext, waiting in main's reveal slot for the copy-once dialog. */
export interface Handover {
  tenantId: string
  key: ApiKey
  revealId: string
}

/** What Contain did, per match; kept by the dialog, which outlives this view while the copy-once dialog shows. */
export type ContainedMap = Record<string, TriageContained>
export const containedKey = (ref: string, m: TriageMatch) => `${ref}|${m.tenant.id}|${m.keyId}`

interface Props {
  sessionId: string
  finding: TriageFinding
  tenants: TenantView[]
  contained: ContainedMap
  onContained: (key: string, out: TriageContained) => void
  onHandover: (h: Handover) => void
}

/** One key found: whose it may be, each match's blast radius, and what to do. */
export function FindingView({ sessionId, finding, tenants, contained, onContained, onHandover }: Props) {
  return (
    <article className="triage-finding" aria-label={finding.masked}>
      <h3>
        <code>{finding.masked}</code>
      </h3>
      <p className={finding.result === 'exact' ? 'triage-exact' : 'muted'}>
        {resultLine(finding)}
        {finding.foundIn && (
          <>
            {' '}
            Found in <code>{finding.foundIn}</code>.
          </>
        )}
      </p>
      {finding.matches.map((m) => (
        <MatchView
          key={`${m.tenant.id}-${m.keyId}`}
          sessionId={sessionId}
          finding={finding}
          match={m}
          tenant={tenants.find((t) => t.id === m.tenant.id)}
          contained={contained[containedKey(finding.ref, m)] ?? null}
          onContained={(out) => onContained(containedKey(finding.ref, m), out)}
          onHandover={onHandover}
        />
      ))}
    </article>
  )
}

function MatchView({
  sessionId,
  finding,
  match,
  tenant,
  contained,
  onContained,
  onHandover
}: {
  sessionId: string
  finding: TriageFinding
  match: TriageMatch
  tenant: TenantView | undefined
  contained: TriageContained | null
  onContained: (out: TriageContained) => void
  onHandover: (h: Handover) => void
}) {
  const [checked, setCheck] = useState<Validity | null>(null)
  const check = checked ?? contained?.after ?? null
  const [checking, setChecking] = useState(false)
  const [checkError, setCheckError] = useState<unknown>(null)
  const [containing, setContaining] = useState(false)
  const k = match.key
  const name = k?.name ?? match.keyId
  const where = `${name} in ${match.tenant.label}`
  const runCheck = async () => {
    setChecking(true)
    setCheckError(null)
    try {
      setCheck(unwrap(await api().triage.check({ sessionId, ref: finding.ref, tenant: match.tenant.id })))
    } catch (err) {
      setCheckError(err)
    } finally {
      setChecking(false)
    }
  }
  return (
    <section className="triage-match" aria-label={where}>
      <p>
        <strong>{match.tenant.label}</strong> <EnvBadge env={match.tenant.environment} /> · <strong>{name}</strong>{' '}
        {match.kind === 'possible' && <span className="chip">possible</span>} {k && <StatusChip status={k.status} />}
      </p>
      {match.adminKey && (
        <p className="callout callout-danger">
          This is the admin key KeyDesk uses for {match.tenant.label}: whoever holds it can create and revoke every key there. Replace the admin key
          first (a new admin key in MeshQu, then Tenant settings), then contain this one.
        </p>
      )}
      {k ? (
        <dl className="fields triage-radius">
          <dt>Created</dt>
          <dd>
            <Time value={k.createdAt} /> by {k.createdByName ?? k.createdBy ?? 'unknown'}
          </dd>
          <dt>Expires</dt>
          <dd>
            <Time value={k.expiresAt} never="never" ahead />
          </dd>
          <dt>Last used</dt>
          <dd>
            <Time value={k.lastUsedAt} />
          </dd>
          <dt>Scopes</dt>
          <dd>
            <ul className="triage-scopes">
              {k.scopes.map((s) => (
                <li key={s.scope} className={s.privileged ? 'chip danger-text' : 'chip'}>
                  {s.scope}
                  {s.privileged && ' (privileged)'}
                </li>
              ))}
            </ul>
          </dd>
        </dl>
      ) : (
        <p className="muted">KeyDesk made this key, but the tenant&apos;s last list no longer has it.</p>
      )}
      <div className="triage-actions">
        <button type="button" className="button" onClick={() => void runCheck()} disabled={checking} aria-label={`Check validity of ${where}`}>
          {checking ? 'Checking…' : 'Check validity'}
        </button>
        {k && k.status !== 'revoked' && !contained && (
          <button type="button" className="button danger" onClick={() => setContaining(true)} aria-label={`Contain ${where}`} disabled={containing}>
            Contain…
          </button>
        )}
      </div>
      {check && (
        <p role="status" className={check.verdict === 'valid' ? 'callout callout-danger' : 'callout'}>
          <strong>{VERDICT_LABEL[check.verdict]}.</strong> {check.sentence}
          {check.correlationId ? ` Correlation id ${check.correlationId}.` : ''}
        </p>
      )}
      <ErrorCallout error={checkError} />
      {containing && k && tenant && !contained && (
        <ContainForm
          sessionId={sessionId}
          finding={finding}
          match={match}
          tenant={tenant}
          onCancel={() => setContaining(false)}
          onDone={(out) => {
            onContained(out)
            setContaining(false)
            setCheck(out.after)
            if (out.replacement) onHandover({ tenantId: tenant.id, key: out.replacement.key, revealId: out.replacement.revealId })
          }}
        />
      )}
      {contained && (
        <p role="status" className="callout">
          Contained: {name} was revoked
          {contained.replacement ? ` and replaced by ${contained.replacement.key.name} (${contained.replacement.key.key_preview})` : ''}.{' '}
          {contained.after.verdict === 'rejected'
            ? 'MeshQu now rejects it; the rejection is recorded in the journal as proof.'
            : `It was not yet seen rejected: ${contained.after.sentence}`}
        </p>
      )}
    </section>
  )
}

function ContainForm({
  sessionId,
  finding,
  match,
  tenant,
  onCancel,
  onDone
}: {
  sessionId: string
  finding: TriageFinding
  match: TriageMatch
  tenant: TenantView
  onCancel: () => void
  onDone: (out: TriageContained) => void
}) {
  const unlocks = useUnlockList()
  const locked = writesLocked(tenant, unlocks)
  const [where, setWhere] = useState(finding.foundIn ?? '')
  const [replace, setReplace] = useState(true)
  const [reason, setReason] = useState<string | null>(null)
  const [minutes, setMinutes] = useState<UnlockMinutes>(5)
  const [typed, setTyped] = useState('')
  const [pending, setPending] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const after = useAfterContain()
  const name = match.key!.name
  // The unlock's reason follows "where" until the operator edits it.
  const unlockReason = reason ?? (where.trim() ? `leak: ${where.trim()}` : '')
  const ready = where.trim().length > 0 && typed === name && (!locked || unlockReason.trim().length > 0)
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (!ready || pending) return
    setPending(true)
    setError(null)
    try {
      if (locked) unwrap(await api().unlock.start({ tenants: [tenant.id], reason: unlockReason, minutes }))
      const out = unwrap(
        await api().triage.contain({ sessionId, ref: finding.ref, tenant: tenant.id, keyId: match.keyId, where: where.trim(), replace })
      )
      onDone(out)
    } catch (err) {
      setError(err)
    } finally {
      setPending(false)
      after(tenant.id)
    }
  }
  return (
    <form className="form triage-contain" onSubmit={submit} noValidate aria-label={`Contain ${name} in ${tenant.label}`}>
      <label className="field">
        <span>Where was it found?</span>
        <input
          type="text"
          value={where}
          maxLength={TRIAGE_WHERE_MAX}
          onChange={(e) => setWhere(e.target.value)}
          autoComplete="off"
          autoFocus
          list="triage-where-choices"
          aria-describedby="triage-where-hint"
          disabled={pending}
        />
        <datalist id="triage-where-choices">
          <option value="public GitHub repository" />
          <option value="application log" />
          <option value="support ticket" />
          <option value="secret scanner alert" />
          <option value="chat message" />
        </datalist>
        <span className="hint" id="triage-where-hint">
          The revoke&apos;s reason in the journal is &quot;leak: &lt;where&gt;&quot;.
        </span>
      </label>
      <label className="triage-check">
        <input type="checkbox" checked={replace} onChange={(e) => setReplace(e.target.checked)} disabled={pending} />
        Make a replacement with the same scopes (shown once, in the copy-once dialog). Clear it for a key nobody should use again.
      </label>
      {locked && (
        <>
          <p className="callout">{tenant.label} is read-only: writes are unlocked for the time chosen first, with this reason.</p>
          <UnlockFields reason={unlockReason} onReason={setReason} minutes={minutes} onMinutes={setMinutes} disabled={pending} />
        </>
      )}
      <p className="callout callout-danger">
        {name} in {tenant.label} is revoked now: immediately and permanently. Then KeyDesk checks with MeshQu that it is rejected.
      </p>
      <TypeBackField
        label="Type the key name to confirm"
        hint={
          <>
            Exactly <code>{name}</code>.
          </>
        }
        value={typed}
        onChange={setTyped}
        disabled={pending}
      />
      <ErrorCallout error={error} context={{ operation: 'revoke', tenantLabel: tenant.label, keyName: name }} />
      <div className="form-actions">
        <button type="button" className="button" onClick={onCancel} disabled={pending}>
          Cancel
        </button>
        <button type="submit" className="button danger" disabled={!ready || pending}>
          {pending ? 'Containing…' : `Contain: revoke ${name} in ${tenant.label}`}
        </button>
      </div>
    </form>
  )
}
