import type { AppError } from '../../../shared/errors'
import { CoreError, toAppError } from '../errors'
import { failureOf, type RecordInput } from '../journal/journal'
import type { UnknownWrite } from '../store/fleet-store'
import { describeUncertainWrite } from './uncertain-write'
import type { WriteDeps } from './write-deps'

/** A write's journal fields besides its tenant and outcome (action, key, reason, detail, jobId). */
export type WriteEntry = Omit<RecordInput, 'tenant' | 'outcome' | 'errorCode'>

/**
 * The one policy for a write that failed; returns the error to throw. Branches on the client's
 * structured `outcome` only:
 * - 'not-sent' or 'rejected': nothing happened at MeshQu. Journaled as failed with its code,
 *   unless the caller will send it again (`retrying`): then the journal gets the final outcome,
 *   not every attempt.
 * - 'unknown' (connection dropped, no answer in time, a gateway error, an unreadable success): it
 *   may or may not have happened. The error says exactly that, the journal records it as
 *   'unknown' and `unknown_writes` keeps it (with that entry's seq, for the settlement entry)
 *   until the next complete list settles it, rather than guessing. Always recorded, even when the
 *   caller will try again, because this attempt may already have been applied.
 */
export async function recordFailedWrite(
  d: Pick<WriteDeps, 'store' | 'journal' | 'log' | 'onUnknown'>,
  tenant: string,
  entry: WriteEntry,
  write: UnknownWrite,
  err: unknown,
  retrying: (e: AppError) => boolean = () => false
): Promise<unknown> {
  const unknown = err instanceof CoreError && err.extra.outcome === 'unknown'
  const rethrown = unknown ? new CoreError(err.code, describeUncertainWrite(write, err), err.extra) : err
  if (!unknown && retrying(toAppError(err))) return rethrown
  const failure = failureOf(rethrown)
  const recorded = await d.journal.record({
    ...entry,
    tenant,
    ...failure,
    detail: entry.detail ? `${entry.detail} ${failure.detail}` : failure.detail
  })
  if (unknown) {
    await d.store.unknownWrites
      .add(tenant, { ...write, journalSeq: recorded?.seq })
      .catch((e) => d.log.warn('unknown-outcome write not recorded in the store', e))
    d.onUnknown?.(tenant)
  }
  return rethrown
}
