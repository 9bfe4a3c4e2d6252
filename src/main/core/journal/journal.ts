import type { ErrorCode } from '../../../shared/errors'
import type { JournalAction, JournalEntry, JournalOutcome } from '../../../shared/journal'
import type { TenantProfile } from '../../../shared/tenants'
import { toAppError } from '../errors'
import type { Logger } from '../log'
import { clipText, SERVER_ID_MAX, SERVER_NAME_MAX, SERVER_PREVIEW_MAX } from '../../../shared/meshqu'
import { redact } from '../redact'
import type { FleetStore } from '../store/fleet-store'
import type { ProfileStore } from '../tenants/profile-store'

export interface JournalDeps {
  store: FleetStore
  profiles: ProfileStore
  log: Logger
  now: () => number
}

export interface RecordInput {
  tenant: string
  /** The label at the time; read from the profile when not given (give it when the profile is going away). */
  tenantLabel?: string
  action: JournalAction
  outcome: JournalOutcome
  errorCode?: ErrorCode | null
  key?: { id?: string | null; name?: string | null; preview?: string | null }
  reason?: string | null
  detail?: string | null
  jobId?: string | null
  refSeq?: number | null
}

/** Texts are bounded so one entry cannot grow the store without limit; replies allow 4096. */
const DETAIL_MAX = 1000

/** What a failed write's journal entry says: "failed" with its code, or "may not have been applied". */
export function failureOf(err: unknown): { outcome: JournalOutcome; errorCode: ErrorCode; detail: string } {
  const e = toAppError(err)
  return { outcome: e.outcome === 'unknown' ? 'unknown' : 'failed', errorCode: e.code, detail: e.message }
}

/**
 * Records KeyDesk's writes in the store's journal. Recording never fails the write it records
 * (the write happened or not at MeshQu whatever the store does): a journal that cannot be written
 * (store closed) is logged, and the reply stands. Free texts (reason, detail) pass through
 * redact(), so a key pasted into a reason is stored as its preview only.
 */
export function createJournal(d: JournalDeps) {
  async function labelOf(tenant: string): Promise<string> {
    const p: TenantProfile | null | undefined = await d.profiles.get(tenant).catch(() => null)
    return p?.label ?? tenant
  }

  /** Fills a key's missing name or preview from its last listed copy in the store. */
  async function keyFields(tenant: string, key: RecordInput['key']) {
    const id = key?.id ?? null
    let name = key?.name ?? null
    let preview = key?.preview ?? null
    if (id && (name === null || preview === null)) {
      const known = await d.store.keyById(tenant, id).catch(() => null)
      name ??= known?.name ?? null
      preview ??= known?.key_preview ?? null
    }
    // Bounded like every server text (an older store may hold a longer one): a reply carries any entry.
    return {
      keyId: id === null ? null : clipText(id, SERVER_ID_MAX),
      keyName: name === null ? null : clipText(name, SERVER_NAME_MAX),
      keyPreview: preview === null ? null : clipText(preview, SERVER_PREVIEW_MAX)
    }
  }

  const text = (s: string | null | undefined, max: number) => (s ? clipText(redact(s), max) : null)

  return {
    /** Appends one entry; resolves to it, or null when the store could not take it. */
    async record(e: RecordInput): Promise<JournalEntry | null> {
      try {
        return await d.store.journal.append({
          at: d.now(),
          tenantId: e.tenant,
          tenantLabel: e.tenantLabel ?? (await labelOf(e.tenant)),
          action: e.action,
          outcome: e.outcome,
          errorCode: e.errorCode ?? null,
          ...(await keyFields(e.tenant, e.key)),
          reason: text(e.reason, 500),
          detail: text(e.detail, DETAIL_MAX),
          jobId: e.jobId ?? null,
          refSeq: e.refSeq ?? null
        })
      } catch (err) {
        d.log.warn(`journal entry (${e.action}) not recorded`, err)
        return null
      }
    }
  }
}

export type Journal = ReturnType<typeof createJournal>
