import type { AppError } from '../../../../shared/errors'
import type { StoreProblem } from '../../../../shared/store-trust'
import type { FleetStore } from '../fleet-store'
import type { StoreMark } from '../meta-table'

/** What stays in main: the client's own state, never a message to the worker. */
type Local = 'state' | 'unavailableReason' | 'problem' | 'warnings' | 'open' | 'close'
type Fn = (...args: never[]) => Promise<unknown>
type CallPaths<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends Fn ? `${P}${K}` : T[K] extends object ? CallPaths<T[K], `${P}${K}.`> : never
}[keyof T & string]

/** The store's data calls, as the worker serves them ("journal.append", "radar.summary", …). */
export type StoreData = Omit<FleetStore, Local>
export type StoreCall = CallPaths<StoreData>

/**
 * Every call the worker serves, each marked as a read (safe to run again on a new worker after
 * a crash) or a write (its outcome is unknown when the worker dies under it). The record is
 * exhaustive by type, so a store method without an entry here fails the typecheck.
 */
export const STORE_CALLS: Record<StoreCall, 'read' | 'write'> = {
  syncKeys: 'write',
  keysOf: 'read',
  keysJsonOf: 'read',
  headOf: 'read',
  search: 'read',
  counts: 'read',
  saveHistory: 'write',
  history: 'read',
  saveAudit: 'write',
  loadAudit: 'read',
  keyById: 'read',
  removeTenant: 'write',
  putKey: 'write',
  'rotations.list': 'read',
  'rotations.add': 'write',
  'rotations.resolve': 'write',
  'unknownWrites.add': 'write',
  'unknownWrites.list': 'read',
  'unknownWrites.settle': 'write',
  'unknownWrites.settleDetailed': 'write',
  'journal.append': 'write',
  'journal.list': 'read',
  'journal.verify': 'read',
  'journal.verifyPart': 'read',
  'schedules.get': 'read',
  'schedules.live': 'read',
  'schedules.put': 'write',
  'schedules.list': 'read',
  'schedules.due': 'read',
  'schedules.claim': 'write',
  'schedules.renew': 'write',
  'schedules.finish': 'write',
  'schedules.retryLater': 'write',
  'schedules.release': 'write',
  'schedules.cancel': 'write',
  'schedules.markAway': 'write',
  'schedules.recoverExpired': 'write',
  'schedules.awayReport': 'read',
  'schedules.dismissAway': 'write',
  'radar.summary': 'write',
  'radar.keys': 'read',
  'radar.keyContext': 'read',
  'radar.syncedAt': 'read',
  'radar.keysById': 'read',
  'radar.journalReasons': 'read',
  'radar.expiry.candidates': 'read',
  'radar.expiry.notified': 'read',
  'radar.expiry.mark': 'write',
  'radar.presented.save': 'write',
  'radar.presented.load': 'read',
  'outside.foundAt': 'read',
  'outside.acknowledge': 'write',
  'outside.acknowledged': 'write',
  report: 'read',
  'policy.get': 'read',
  'policy.put': 'write',
  'policy.waivers.put': 'write',
  'policy.waivers.list': 'read',
  'triage.putFingerprint': 'write',
  'triage.byFingerprints': 'read',
  'triage.byPreviews': 'read',
  'campaigns.create': 'write',
  'campaigns.get': 'read',
  'campaigns.list': 'read',
  'campaigns.keys': 'read',
  'campaigns.key': 'read',
  'campaigns.active': 'read',
  'campaigns.tenants': 'read',
  'campaigns.replacementsOf': 'read',
  'campaigns.transition': 'write',
  'campaigns.end': 'write',
  'campaigns.cancel': 'write',
  'campaigns.moveDeadline': 'write',
  'anchor.mark': 'read',
  'legacy.importedAt': 'read',
  'legacy.markImported': 'write'
}

export const isStoreCall = (path: unknown): path is StoreCall => typeof path === 'string' && Object.hasOwn(STORE_CALLS, path)

/** A long list crosses in parts of this many items, so no one message holds main's thread long. */
export const STAGE_CHUNK = 1000

/** An argument that was sent ahead in parts ('stage' messages) and is put back together there. */
export interface StagedArg {
  staged: number
}

export type ToWorker =
  | { type: 'open'; id: number; key: Uint8Array; now: number }
  | { type: 'stage'; token: number; items: unknown[] }
  | { type: 'call'; id: number; path: StoreCall; args: unknown[]; staged: number[] }
  | { type: 'close'; id: number }

/** An error as it crosses the thread: a CoreError keeps its code and extras, others their name and code. */
export interface WireError {
  name: string
  message: string
  code?: string
  core?: AppError
  /** A refused file (StoreRefusedError): why, for store.status. */
  problem?: StoreProblem
}

export type FromWorker =
  | { type: 'reply'; id: number; ok: true; value: unknown }
  | { type: 'reply'; id: number; ok: false; error: WireError }
  | { type: 'log'; message: string; detail?: string }
  /** An anchored write committed: where the file stands now, for the keychain's anchor. */
  | { type: 'anchor'; mark: StoreMark }
