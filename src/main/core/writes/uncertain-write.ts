import type { UnknownWrite as UncertainWrite } from '../store/fleet-store'
import type { CoreError } from '../errors'

/** Why a write's outcome is unknown, from the error's structured fields. */
export function describeUncertainWrite(w: UncertainWrite, err: CoreError): string {
  const { status, reachedServer, correlationId } = err.extra
  const why =
    status !== undefined && status < 300
      ? `MeshQu answered ${status} but KeyDesk could not read the answer`
      : status !== undefined
        ? `MeshQu (or a gateway in front of it) answered ${status} before confirming it`
        : err.code === 'TIMEOUT'
          ? reachedServer
            ? "MeshQu's answer did not arrive in time"
            : 'MeshQu did not answer in time'
          : 'the connection dropped before MeshQu answered'
  const quote = correlationId ? ` Correlation id ${correlationId}.` : ''
  if (w.kind === 'revoke') {
    return `Revocation of "${w.name}" may not have been applied: ${why}. It will be checked at the next full list of keys.${quote}`
  }
  return `"${w.name}" may have been created: ${why}. Do not create it again yet; KeyDesk checks at the next full list of keys (if it exists, its key was never shown, so revoke it then).${quote}`
}
