import type { ApiKey, CreateKeyBody } from '../../../shared/meshqu'
import type { RateLimitSnapshot } from '../../../shared/ratelimit'
import type { RevealSlots } from '../secrets/reveal-slots'
import type { CallKind } from '../ratelimit/scheduler'
import { recordFailedWrite } from './failed-write'
import type { WriteDeps } from './write-deps'
import { failureOf } from '../journal/journal'
import type { FleetPolicyService } from '../policy/fleet-policy'
import type { WaiverInput } from '../../../shared/policy'
import type { Fingerprinter } from '../triage/fingerprint-key'

export interface CreateRequest {
  tenant: string
  key: CreateKeyBody
  /** The journal's key.create entry: a rotation names the key it replaces, with the rotation's reason. */
  reason?: string | null
  detail: string
  /** Lets a key outside the fleet policy through (policy/fleet-policy.ts); journaled with the key. */
  waiver?: WaiverInput
  /** The replacement of KeyDesk's own admin key of the tenant: exempt from the policy's scope rules. */
  ownAdmin?: boolean
  /** interactive (default): the operator is waiting; background: a campaign's replacements, which keep the tenant's reserve. */
  priority?: CallKind
  /** Ends a pacing wait with CANCELLED: its owner is stopping. */
  signal?: AbortSignal
}

export interface Created {
  key: ApiKey
  revealId: string
  revealExpiresAt: number
  rateLimit?: RateLimitSnapshot
}

/**
 * The one way KeyDesk creates a key (a new key, a rotation's replacement): sends the POST as an
 * interactive call, journals it (an unknown outcome the one way: failed-write.ts), puts the
 * plaintext into a reveal slot and nowhere else, and writes the new key (MeshQu's answer, which
 * holds no plaintext) into the fleet store, so search all, counts and the radar have it at once.
 * The fleet policy is checked before the POST: outside it, only a waiver lets the key through.
 */
export function createKeyCreator(
  d: WriteDeps & {
    slots: RevealSlots
    policy: Pick<FleetPolicyService, 'check' | 'recordWaiver'>
    /** Leak triage's keyed fingerprint of the plaintext (triage/fingerprint-key.ts); only its digest reaches the store. */
    fingerprint?: Pick<Fingerprinter, 'of'>
  }
) {
  return async function createKey(r: CreateRequest): Promise<Created> {
    const { tenant } = r
    const entry = { action: 'key.create' as const, key: { name: r.key.name }, reason: r.reason, detail: r.detail }
    // The fleet policy first: a create outside it is refused before anything is sent.
    const profile = await d.profiles.get(tenant)
    const verdict = profile
      ? await d.policy
          .check({
            profile,
            subject: { scopes: r.key.scopes, expiresAt: r.key.expires_at ? Date.parse(r.key.expires_at) : null, ownAdmin: r.ownAdmin ?? false },
            waiver: r.waiver
          })
          .catch(async (err: unknown) => {
            // A refusal is part of the record too: who tried to create what, and which rule said no.
            await d.journal.record({ ...entry, tenant, ...failureOf(err) })
            throw err
          })
      : null
    const at = d.now()
    let res
    try {
      const { client } = await d.sessions.open(tenant)
      res = await client.createKey(r.key, { kind: r.priority, signal: r.signal })
    } catch (err) {
      throw await recordFailedWrite(d, tenant, entry, { kind: 'create', name: r.key.name, at }, err)
    }
    const { key, plaintext_key } = res.data
    // The plaintext stops here: the renderer only ever gets the slot id.
    const slot = d.slots.put(plaintext_key, tenant)
    // Taken before anything awaits the store, so the plaintext is not kept alive by this call past it.
    const fingerprint = d.fingerprint
      ? d.fingerprint.of(plaintext_key).catch((err: unknown) => (d.log.warn('leak fingerprint not taken', err), null))
      : null
    if (await d.profiles.get(tenant)) {
      await d.store.putKey(tenant, key).catch((err) => d.log.warn('fleet store not updated after a create', err))
      const fp = await fingerprint
      // The key exists at MeshQu whatever happens here: a missing fingerprint only means triage finds it by preview.
      if (fp) await d.store.triage.putFingerprint(tenant, key.id, fp, at).catch((err) => d.log.warn('leak fingerprint not stored', err))
    }
    await d.journal.record({ ...entry, tenant, outcome: 'ok', key: { id: key.id, name: key.name, preview: key.key_preview } })
    if (profile && verdict?.waiver) await d.policy.recordWaiver(profile, key, verdict.waiver)
    d.emit?.({ type: 'store.changed', tenant, written: [key.id] })
    return { key, revealId: slot.revealId, revealExpiresAt: slot.expiresAt, rateLimit: res.rateLimit }
  }
}

export type KeyCreator = ReturnType<typeof createKeyCreator>
