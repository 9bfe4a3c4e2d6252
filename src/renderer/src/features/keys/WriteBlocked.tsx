/** The reason a write button is disabled, next to it; the button points at it with aria-describedby. */
export function WriteBlocked({ id, reason }: { id: string; reason: string | null }) {
  if (!reason) return null
  return (
    <p className="callout callout-warn" role="status" id={id}>
      {reason}
    </p>
  )
}
