import type { AppError } from '../../../../shared/errors'
import { policyBreaches, type EnvironmentPolicy, type PolicyRule, type PolicySubject } from '../../../../shared/policy'
import type { Environment } from '../../../../shared/tenants'

/** The create and rotate forms' fields a policy rule is about. */
export const RULE_FIELD: Record<PolicyRule, 'expiry' | 'scopes'> = {
  'expiry-required': 'expiry',
  'max-expiry': 'expiry',
  'forbidden-scope': 'scopes',
  preset: 'scopes'
}

/**
 * A POLICY refusal → the field it is about and the sentence for it, naming the rule. Branches on
 * the error's code and `rule`, never its text; the sentence is the rule's own for what was sent,
 * as the policy this window knows words it (main's sentence when that policy says nothing).
 */
export function policyFieldError(
  error: AppError,
  ctx: { policy: EnvironmentPolicy | undefined; environment: Environment; subject: Omit<PolicySubject, 'from'> }
): { field: 'expiry' | 'scopes'; message: string } | null {
  if (error.code !== 'POLICY' || !error.rule) return null
  const breach = ctx.policy
    ? policyBreaches({ ...ctx.subject, from: Date.now() }, ctx.policy, ctx.environment).find((b) => b.rule === error.rule)
    : undefined
  const sentence = breach?.message ?? error.message
  return { field: RULE_FIELD[error.rule], message: `${sentence} Outside policy (${error.rule}): add a waiver to create it anyway.` }
}
