import type { RadarCategory } from '../../../../shared/radar'
import type { PolicyRule } from '../../../../shared/policy'

/** What each finding is called on screen (docs/UI.md, "Words"). */
export const CATEGORY_LABEL: Record<RadarCategory, string> = {
  'expired-active': 'Expired but listed active',
  'expiring-1d': 'Expiring within 1 day',
  'expiring-7d': 'Expiring within 7 days',
  'expiring-30d': 'Expiring within 30 days',
  'never-used': 'Never used',
  unused: 'Unused',
  'no-expiry': 'No expiry',
  privileged: 'Privileged (admin scopes)',
  'outside-policy': 'Outside policy',
  'rotation-pending': 'Rotation pending',
  'revoke-failed': 'Scheduled revoke failed',
  'created-outside': 'Created outside KeyDesk',
  'revoked-outside': 'Revoked outside KeyDesk'
}

/** A broken policy rule as the radar names it beside "Outside policy". */
export const POLICY_RULE_LABEL: Record<PolicyRule, string> = {
  'expiry-required': 'no expiry',
  'max-expiry': 'expiry beyond the maximum',
  'forbidden-scope': 'forbidden scope',
  preset: 'not an allowed preset'
}

export const plural = (n: number, one: string, many: string) => `${n.toLocaleString()} ${n === 1 ? one : many}`

/** The sidebar badge's accessible name: "3 findings". */
export const findingsLabel = (n: number) => plural(n, 'finding', 'findings')
