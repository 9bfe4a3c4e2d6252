import type { ReactNode } from 'react'
import { ENVIRONMENT_COLORS, ENVIRONMENTS, type Environment } from '../../../shared/tenants'
import { environmentLabel } from '../components/EnvBadge'

/** A labelled field with its error underneath, wired for screen readers. */
export function Field({
  id,
  label,
  error,
  hint,
  children
}: {
  id: string
  label: string
  error?: string
  hint?: string
  children: (aria: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) => ReactNode
}) {
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined
  return (
    <div className="field">
      <label htmlFor={id}>
        <span>{label}</span>
      </label>
      {children({ id, 'aria-invalid': !!error, 'aria-describedby': describedBy })}
      {hint && (
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
      )}
      {error && (
        <span id={`${id}-error`} className="field-error">
          {error}
        </span>
      )}
    </div>
  )
}

export function EnvironmentSelect({ id, value, onChange }: { id: string; value: Environment; onChange: (e: Environment) => void }) {
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value as Environment)}>
      {ENVIRONMENTS.map((env) => (
        <option key={env} value={env}>
          {environmentLabel(env)}
        </option>
      ))}
    </select>
  )
}

export const defaultColor = (env: Environment) => ENVIRONMENT_COLORS[env]
