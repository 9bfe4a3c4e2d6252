import type { CampaignKey, CampaignKeyState } from '../../../../shared/campaigns'

/** How each key state reads (UI.md's words: revoke, replacement, hand over). */
export const STATE_LABEL: Record<CampaignKeyState, string> = {
  planned: 'Planned',
  creating: 'Creating the replacement',
  created: 'Created, not handed over',
  'handed-over': 'Handed over',
  waiting: 'Waiting for traffic to stop',
  revoking: 'Revoking the old key',
  revoked: 'Revoked',
  held: 'Held',
  cancelled: 'Cancelled',
  failed: 'Failed'
}

export function stateText(k: Pick<CampaignKey, 'state' | 'heldReason'>): string {
  if (k.state === 'held') return k.heldReason === 'still-in-use' ? 'Held: still in use' : 'Held: replacement unused'
  return STATE_LABEL[k.state]
}

export const plural = (n: number, one: string, many: string) => `${n.toLocaleString()} ${n === 1 ? one : many}`

const H = 3_600_000
export const hours = (ms: number) => Math.round((ms / H) * 10) / 10
