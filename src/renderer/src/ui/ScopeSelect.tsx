import { SCOPES, type Scope } from '../../../shared/scopes'

/** One scope or none ("Any scope"), every known scope listed: the keys filter and search all share it. */
export function ScopeSelect({ label, value, onChange }: { label: string; value: Scope | ''; onChange: (scope: Scope | '') => void }) {
  return (
    <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value as Scope | '')}>
      <option value="">Any scope</option>
      {SCOPES.map((s) => (
        <option key={s} value={s}>
          {s}
        </option>
      ))}
    </select>
  )
}
