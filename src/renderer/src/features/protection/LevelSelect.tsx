import { forwardRef, type SelectHTMLAttributes } from 'react'
import { PROTECTION_LEVELS } from '../../../../shared/tenants'
import { LEVEL_LABEL } from './words'

/** The protection level picker of the tenant forms (registered with react-hook-form). */
export const LevelSelect = forwardRef<HTMLSelectElement, SelectHTMLAttributes<HTMLSelectElement>>(function LevelSelect(props, ref) {
  return (
    <select ref={ref} {...props}>
      {PROTECTION_LEVELS.map((l) => (
        <option key={l} value={l}>
          {LEVEL_LABEL[l]}
        </option>
      ))}
    </select>
  )
})
