import type { JournalAction, JournalEntry, JournalOutcome } from '../../../../shared/journal'

/** How each journal action reads in the Journal view and the detail panel. */
export const ACTION_LABEL: Record<JournalAction, string> = {
  'key.create': 'Key created',
  'key.revoke': 'Key revoked',
  'key.rotate': 'Key rotated',
  'bulk.job': 'Bulk revoke started',
  'bulk.revoke': 'Revoked in bulk',
  'schedule.set': 'Revoke scheduled',
  'schedule.cancel': 'Scheduled revoke cancelled',
  'schedule.revoke': 'Scheduled revoke ran',
  'schedule.hold': 'Scheduled revoke held (clock jumped)',
  'schedule.resume': 'Held revoke released',
  'tenant.add': 'Tenant added',
  'tenant.remove': 'Tenant removed',
  'tenant.adminKey': 'Admin key replaced',
  'tenant.unlock': 'Writes unlocked',
  'tenant.lock': 'Writes locked again',
  'tenant.protection': 'Safeguards lowered',
  settlement: 'Outcome settled',
  'outside.ack': 'Outside change acknowledged',
  'policy.set': 'Policy changed',
  'policy.waiver': 'Policy waiver',
  'leak.check': 'Leaked key checked',
  'leak.contain': 'Leak contained',
  'campaign.start': 'Rotation campaign started',
  'campaign.revoke': 'Revoked by campaign',
  'campaign.hold': 'Held by campaign',
  'campaign.extend': 'Campaign deadline extended',
  'campaign.cancel': 'Rotation campaign cancelled'
}

export const OUTCOME_LABEL: Record<JournalOutcome, string> = {
  ok: 'done',
  failed: 'failed',
  unknown: 'may not have been applied',
  applied: 'was applied',
  'not-applied': 'was not applied'
}

export const outcomeText = (e: JournalEntry) => (e.outcome === 'failed' && e.errorCode ? `failed (${e.errorCode})` : OUTCOME_LABEL[e.outcome])
