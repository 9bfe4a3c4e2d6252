import type { RadarKeyItem } from '../../../../shared/contract'
import { OUTSIDE_CATEGORY, type OutsideKind, type RadarCategory } from '../../../../shared/radar'
import { EnvBadge } from '../../ui/EnvBadge'
import { Time } from '../../ui/Time'
import { OutsideWho } from './OutsideWho'
import { CATEGORY_LABEL, POLICY_RULE_LABEL } from './words'

export const itemKey = (i: { tenant: { id: string }; keyId: string }) => `${i.tenant.id}\n${i.keyId}`

/** A key the radar can revoke: the store holds it and it is not revoked already. */
export const isSelectable = (i: RadarKeyItem) => i.key !== null && i.key.revoked_at === null

/** The expiry windows nest (1 day ⊂ 7 ⊂ 30): only the narrowest is worth reading. */
export function shownFindings(findings: readonly RadarCategory[]): RadarCategory[] {
  const hide = new Set<RadarCategory>()
  if (findings.includes('expiring-1d')) hide.add('expiring-7d').add('expiring-30d')
  if (findings.includes('expiring-7d')) hide.add('expiring-30d')
  return findings.filter((f) => !hide.has(f))
}

export type KeyAction = 'open' | 'rotate' | 'schedule' | 'revoke' | 'acknowledge' | 'unlock-revoke'

interface Props {
  items: RadarKeyItem[]
  checked: Set<string>
  onToggle(item: RadarKeyItem): void
  onToggleAll(): void
  onAction(item: RadarKeyItem, action: KeyAction): void
  /** The drill-down is a change made outside KeyDesk: each row offers Acknowledge in place of Rotate. */
  outside?: OutsideKind | null
  /** Tenants whose writes are locked (read-only): their rows offer Unlock and revoke instead. */
  locked?: ReadonlySet<string>
}

/** One category's keys across tenants, each with its tenant and environment, and what to do. */
export function RadarKeysTable({ items, checked, onToggle, onToggleAll, onAction, outside = null, locked }: Props) {
  const selectable = items.filter(isSelectable)
  const all = selectable.length > 0 && selectable.every((i) => checked.has(itemKey(i)))
  return (
    <table className="radar-table radar-keys" aria-label="Radar keys">
      <thead>
        <tr>
          <th scope="col" className="check">
            <input type="checkbox" aria-label="Select all keys shown" checked={all} disabled={!selectable.length} onChange={onToggleAll} />
          </th>
          <th scope="col">Key</th>
          <th scope="col">Tenant</th>
          <th scope="col">Findings</th>
          <th scope="col">Expires</th>
          <th scope="col">Last used</th>
          <th scope="col">
            <span className="sr-only">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {items.map((i) => {
          const name = i.key?.name ?? i.keyId
          return (
            <tr key={itemKey(i)}>
              <td className="check">
                <input
                  type="checkbox"
                  aria-label={`Select ${name} in ${i.tenant.label}`}
                  checked={checked.has(itemKey(i))}
                  disabled={!isSelectable(i)}
                  onChange={() => onToggle(i)}
                />
              </td>
              <td className="radar-key">
                <span>{name}</span> {i.key && <code className="muted">{i.key.key_preview}</code>}
                {!i.key && <span className="muted"> (not in the store)</span>}
              </td>
              <td>
                {i.tenant.label} <EnvBadge env={i.tenant.environment} compact />
              </td>
              <td className="radar-findings">
                {shownFindings(i.findings)
                  // A change made outside KeyDesk is told on its own line, with who and when.
                  .filter((f) => !i.outside?.some((c) => OUTSIDE_CATEGORY[c.kind] === f))
                  .map((f) =>
                    f === 'outside-policy' && i.policyRules.length
                      ? `${CATEGORY_LABEL[f]} (${i.policyRules.map((r) => POLICY_RULE_LABEL[r]).join(' and ')})`
                      : CATEGORY_LABEL[f]
                  )
                  .join(', ')}
                {i.outside?.map((c) => (
                  <span key={c.kind} className="radar-outside muted">
                    {CATEGORY_LABEL[OUTSIDE_CATEGORY[c.kind]]}
                    <OutsideWho change={c} />
                  </span>
                ))}
              </td>
              <td className="nowrap">{i.key ? <Time value={i.key.expires_at} never="never" ahead /> : '—'}</td>
              <td className="nowrap">{i.key ? <Time value={i.key.last_used_at} never="never" /> : '—'}</td>
              <td className="radar-actions">
                <div className="radar-action-row">
                  <button
                    type="button"
                    className="button ghost small"
                    onClick={() => onAction(i, 'open')}
                    aria-label={`Open ${name} in ${i.tenant.label}`}
                  >
                    Open
                  </button>
                  {locked?.has(i.tenant.id) ? (
                    isSelectable(i) && (
                      <button
                        type="button"
                        className="button ghost small danger-text"
                        onClick={() => onAction(i, 'unlock-revoke')}
                        aria-label={`Unlock and revoke ${name} in ${i.tenant.label}`}
                      >
                        Unlock and revoke
                      </button>
                    )
                  ) : (
                    <>
                      {outside ? (
                        <button
                          type="button"
                          className="button ghost small"
                          onClick={() => onAction(i, 'acknowledge')}
                          aria-label={`Acknowledge ${name} in ${i.tenant.label}`}
                        >
                          Acknowledge…
                        </button>
                      ) : (
                        <button
                          type="button"
                          className="button ghost small"
                          onClick={() => onAction(i, 'rotate')}
                          disabled={!isSelectable(i)}
                          aria-label={`Rotate ${name} in ${i.tenant.label}`}
                        >
                          Rotate
                        </button>
                      )}
                      <button
                        type="button"
                        className="button ghost small"
                        onClick={() => onAction(i, 'schedule')}
                        disabled={!isSelectable(i)}
                        aria-label={`Schedule a revoke of ${name} in ${i.tenant.label}`}
                      >
                        Schedule
                      </button>
                      <button
                        type="button"
                        className="button ghost small danger-text"
                        onClick={() => onAction(i, 'revoke')}
                        disabled={!isSelectable(i)}
                        aria-label={`Revoke ${name} in ${i.tenant.label}`}
                      >
                        Revoke
                      </button>
                    </>
                  )}
                </div>
              </td>
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}
