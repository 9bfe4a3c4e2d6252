import type { CSSProperties } from 'react'

/** Below 10% is low, below 30% is getting there: the meter's color band (with the number beside it). */
export function meterLevel(fraction: number): 'low' | 'mid' | 'ok' {
  return fraction < 0.1 ? 'low' : fraction < 0.3 ? 'mid' : 'ok'
}

/** A horizontal meter with its accessible value; the caller shows the number as text beside it. */
export function Meter({
  label,
  value,
  max,
  valueText,
  style
}: {
  label: string
  value: number
  max: number
  valueText: string
  style?: CSSProperties
}) {
  const fraction = max > 0 ? value / max : 1
  return (
    <span
      role="meter"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={value}
      aria-valuetext={valueText}
      className={`meter meter-${meterLevel(fraction)}`}
      style={style}
    >
      <span className="meter-fill" style={{ width: `${Math.round(fraction * 100)}%` }} />
    </span>
  )
}
