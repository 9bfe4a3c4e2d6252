import type { TenantProfile } from '../../../shared/tenants'
import type { Validity } from '../../../shared/triage'

export interface ValidityDeps {
  fetch: typeof fetch
  now: () => number
  timeoutMs: number
}

/**
 * One request to MeshQu authenticated with the leaked key, against the candidate tenant's base
 * URL and id: `GET /v1/api-keys?limit=1`, which needs api-keys:admin. MeshQu answers 401 for an
 * unknown, revoked or expired key (rejected), 403 for a key it knows that lacks the scope or
 * belongs to another tenant (valid), 200 for a key that can manage this tenant's keys (valid, and
 * the worst case). Anything else cannot tell, and says why. The key goes in the header only; no
 * text of the answer (which could echo it) is kept.
 */
export async function checkValidity(d: ValidityDeps, profile: Pick<TenantProfile, 'baseUrl' | 'tenantId' | 'label'>, key: string): Promise<Validity> {
  const at = d.now()
  const out = (verdict: Validity['verdict'], sentence: string, httpStatus: number | null = null, correlationId: string | null = null): Validity => ({
    verdict,
    sentence,
    httpStatus,
    correlationId,
    at
  })
  let res: Response
  try {
    res = await d.fetch(`${profile.baseUrl}/v1/api-keys?limit=1`, {
      headers: { authorization: `Bearer ${key}`, 'x-meshqu-tenant-id': profile.tenantId, accept: 'application/json' },
      signal: AbortSignal.timeout(d.timeoutMs),
      redirect: 'error'
    })
  } catch (err) {
    const timedOut = (err as Error)?.name === 'TimeoutError'
    return out(
      'unknown',
      timedOut
        ? `MeshQu did not answer within ${Math.round(d.timeoutMs / 1000)} s, so KeyDesk cannot tell. Check again in a moment.`
        : `MeshQu could not be reached at ${profile.baseUrl}, so KeyDesk cannot tell. Check the connection and check again.`
    )
  }
  // The body is never read into anything kept: only the status and the correlation id count.
  await res.body?.cancel().catch(() => {})
  const correlationId = res.headers.get('x-correlation-id')?.slice(0, 128) ?? null
  const s = res.status
  if (s === 200)
    return out(
      'valid',
      `MeshQu accepted it for ${profile.label} and let it list API keys: it holds api-keys:admin and can create and revoke keys there.`,
      s,
      correlationId
    )
  if (s === 403)
    return out(
      'valid',
      `MeshQu knows this key and it is live: it authenticated, but was refused listing keys for ${profile.label} (it lacks api-keys:admin there, or belongs to another tenant).`,
      s,
      correlationId
    )
  if (s === 401) return out('rejected', 'MeshQu rejected it (401): the key is unknown, revoked or expired.', s, correlationId)
  if (s === 429)
    return out('unknown', 'MeshQu is rate-limiting this key or this computer (429), so KeyDesk cannot tell. Check again shortly.', s, correlationId)
  if (s >= 500) return out('unknown', `MeshQu had a problem answering (${s}), so KeyDesk cannot tell. Check again shortly.`, s, correlationId)
  return out('unknown', `MeshQu answered ${s}, which says nothing about the key, so KeyDesk cannot tell.`, s, correlationId)
}
