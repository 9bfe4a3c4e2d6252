import { timingSafeEqual } from 'node:crypto'
import { keyStatus } from '../../../shared/key-view'
import type { ApiKey } from '../../../shared/meshqu'
import { PRIVILEGED_SCOPES } from '../../../shared/radar'
import type { TenantProfile } from '../../../shared/tenants'
import type { TriageFinding, TriageMatch } from '../../../shared/triage'
import { maskKey } from '../redact'
import type { FleetStore } from '../store/fleet-store'
import type { AdminKeys } from '../tenants/admin-keys'
import type { ProfileStore } from '../tenants/profile-store'
import type { WriteGuard } from '../tenants/write-guard'
import type { Fingerprinter } from './fingerprint-key'

export interface MatchDeps {
  store: Pick<FleetStore, 'triage' | 'keyById'>
  profiles: Pick<ProfileStore, 'list'>
  adminKeys: Pick<AdminKeys, 'recordFor'>
  guard: Pick<WriteGuard, 'levelFor'>
  fingerprint: Pick<Fingerprinter, 'of'>
  now: () => number
}

const sameText = (a: string, b: string) => {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/**
 * Whose key is each pasted key: exact by keyed fingerprint (one index lookup per key, offline),
 * else candidates by MeshQu's preview across every tenant (possible, counted). A key equal to a
 * tenant's own admin key (compared in main with the keychain's copy, for tenants whose admin
 * preview it shares) is exact too, and says so. Only previews leave here.
 */
export async function matchKeys(d: MatchDeps, keys: readonly { ref: string; key: string }[]): Promise<TriageFinding[]> {
  const profiles = new Map((await d.profiles.list()).map((p) => [p.id, p]))
  const levels = new Map<string, Awaited<ReturnType<WriteGuard['levelFor']>>>()
  const levelOf = async (p: TenantProfile) => {
    if (!levels.has(p.id)) levels.set(p.id, await d.guard.levelFor(p))
    return levels.get(p.id)!
  }
  const fingerprints = await Promise.all(keys.map((k) => d.fingerprint.of(k.key)))
  const exact = await d.store.triage.byFingerprints(fingerprints)
  const previews = keys.map((k) => maskKey(k.key))
  const byPreview = await d.store.triage.byPreviews(previews)
  const now = d.now()

  /** The tenant whose own admin key this is, among the profiles sharing its preview. */
  async function adminOf(key: string, preview: string): Promise<TenantProfile | null> {
    for (const p of profiles.values()) {
      if (p.adminKeyPreview !== preview) continue
      const record = await d.adminKeys.recordFor(p).catch(() => null)
      if (record && sameText(record.adminKey, key)) return p
    }
    return null
  }

  async function view(kind: TriageMatch['kind'], p: TenantProfile, keyId: string, key: ApiKey | null, admin: boolean): Promise<TriageMatch> {
    const creator = key?.created_by ? await d.store.keyById(p.id, key.created_by).catch(() => null) : null
    return {
      kind,
      tenant: { id: p.id, label: p.label, environment: p.environment, level: await levelOf(p) },
      keyId,
      adminKey: admin,
      key: key && {
        id: key.id,
        name: key.name,
        preview: key.key_preview,
        status: keyStatus(key, now),
        createdAt: key.created_at,
        createdBy: key.created_by,
        createdByName: creator?.name ?? null,
        expiresAt: key.expires_at,
        lastUsedAt: key.last_used_at,
        scopes: key.scopes.map((scope) => ({ scope, privileged: (PRIVILEGED_SCOPES as readonly string[]).includes(scope) }))
      }
    }
  }

  const findings: TriageFinding[] = []
  for (const [i, { ref, key }] of keys.entries()) {
    const preview = previews[i]!
    const admin = await adminOf(key, preview)
    const sure = exact.filter((h) => h.fingerprint === fingerprints[i] && profiles.has(h.tenant))
    const alike = byPreview.filter((h) => h.preview === preview && profiles.has(h.tenant))
    const matches: TriageMatch[] = []
    for (const h of sure) matches.push(await view('exact', profiles.get(h.tenant)!, h.keyId, h.key, admin?.id === h.tenant))
    if (admin && !sure.some((h) => h.tenant === admin.id)) {
      // The admin key as its tenant's list holds it: the key of that tenant with the same preview.
      const row = alike.find((h) => h.tenant === admin.id)
      matches.push(await view('exact', admin, row?.key.id ?? '', row?.key ?? null, true))
    }
    if (matches.length) {
      findings.push({ ref, masked: preview, result: 'exact', matches, candidates: matches.length, foundIn: null })
      continue
    }
    for (const h of alike) matches.push(await view('possible', profiles.get(h.tenant)!, h.key.id, h.key, false))
    findings.push({
      ref,
      masked: preview,
      result: matches.length ? 'possible' : 'unknown',
      matches: matches.slice(0, 500),
      candidates: matches.length,
      foundIn: null
    })
  }
  return findings
}
