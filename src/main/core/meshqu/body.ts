/**
 * Reads a response body as a stream with a byte cap and a deadline. `res.text()` would buffer
 * whatever a server sends (a page claiming millions of keys, an endless body) and wait as long as
 * it trickles; here both are bounded and the stream is cancelled as soon as either limit is hit.
 */

/** Largest body KeyDesk reads from MeshQu: a 500-key page is well under 1 MiB. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024

export type BodyFailure = 'too-large' | 'timeout' | 'cancelled' | 'broken'

/** Why a body could not be read; the client maps it to a CoreError with the response's status. */
export class BodyReadError extends Error {
  constructor(readonly reason: BodyFailure) {
    super(`response body ${reason}`)
    this.name = 'BodyReadError'
  }
}

/**
 * Resolves with the body's text, or rejects with BodyReadError. `deadline` rejects when the
 * request's time is up (DEADLINE) or its caller gave up (CANCELLED); it is raced against every
 * chunk so a trickling body cannot outlast it.
 */
export async function readBodyCapped(res: Response, deadline: Promise<never>, maxBytes = MAX_BODY_BYTES): Promise<string> {
  const declared = Number(res.headers.get('content-length'))
  if (Number.isFinite(declared) && declared > maxBytes) {
    cancelQuietly(res.body)
    throw new BodyReadError('too-large')
  }
  if (!res.body) return ''
  const reader = res.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  try {
    for (;;) {
      let step: Awaited<ReturnType<typeof reader.read>>
      try {
        step = await Promise.race([reader.read(), deadline])
      } catch (err) {
        throw err instanceof BodyReadError ? err : new BodyReadError(isDeadline(err) ? 'timeout' : err === CANCELLED ? 'cancelled' : 'broken')
      }
      if (step.done) break
      size += step.value.byteLength
      if (size > maxBytes) throw new BodyReadError('too-large')
      chunks.push(step.value)
    }
  } catch (err) {
    // Cancelling tells the transport to stop: the socket is closed instead of drained. Not
    // awaited: a transport that never settles the cancel must not hold the call either.
    reader.cancel().catch(() => {})
    throw err
  }
  reader.releaseLock()
  return new TextDecoder().decode(Buffer.concat(chunks))
}

/** The value a request's deadline rejects with, so a timeout is told apart from a broken stream. */
export const DEADLINE = Symbol('deadline')
/** What the deadline rejects with when the caller's signal aborts first (the operator cancelled). */
export const CANCELLED = Symbol('cancelled')
const isDeadline = (err: unknown) => err === DEADLINE

/** Drops a body KeyDesk will not read (a redirect's, one past the cap) without waiting for it. */
export function cancelQuietly(body: ReadableStream<Uint8Array> | null): void {
  body?.cancel().catch(() => {})
}
