import type { TriageFinding, Validity } from '../../../../shared/triage'

/** How a finding's result reads. */
export function resultLine(f: TriageFinding): string {
  if (f.result === 'exact') return f.matches.length === 1 ? 'Exact match' : `Exact match in ${f.matches.length} tenants`
  if (f.result === 'possible')
    return `Possible: ${f.candidates} key${f.candidates === 1 ? '' : 's'} share${f.candidates === 1 ? 's' : ''} this preview. KeyDesk did not create it, so it cannot be sure which.`
  return 'Not found in any tenant KeyDesk holds. It may belong to a tenant not added here, or to a list not synced yet.'
}

export const VERDICT_LABEL: Record<Validity['verdict'], string> = { valid: 'Valid', rejected: 'Rejected', unknown: 'Cannot tell' }

export const NOT_A_KEY = 'Not a MeshQu key: nothing in it looks like a key starting mqu_live_, mqu_test_ or mqk_.'
