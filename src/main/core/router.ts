import type { z } from 'zod'
import { contract, isChannel, replySchema, type Channel, type ChannelArgs, type ChannelOutput } from '../../shared/contract'
import type { Meta, Reply } from '../../shared/envelope'
import type { AppError } from '../../shared/errors'
import type { TenantStatus } from '../../shared/tenants'
import { CoreError, toAppError } from './errors'
import type { Logger } from './log'

export interface Handled<T> {
  data: T
  meta?: Partial<Meta>
  /**
   * What the call says about reaching the tenant when the reply alone cannot: a list served from
   * the store after a 429 is not "offline". Default: network = reached, store = not reached.
   */
  observed?: AppError | null
}

export type Handler<C extends Channel> = (args: ChannelArgs<C>) => Promise<Handled<ChannelOutput<C>>>
export type Handlers = { [C in Channel]: Handler<C> }

/** Zod issues → { "key.name": "Name is required" } for forms. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {}
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.') || '(input)'
    out[path] ??= issue.message
  }
  return out
}

/**
 * channel → handler. Validates every input and every output against the contract (a list of keys
 * parsed when it entered KeyDesk is checked as a list: contract.ts, KeysParsedOnEntry) and never
 * throws: whatever goes wrong becomes an `{ ok: false }` reply with one of our error codes.
 */
export interface RouterHooks {
  /** Told the outcome of every call that named a tenant, e.g. to keep its online status. */
  observe?: (tenantId: string, error: AppError | null) => void
  /**
   * The tenant's status once the call is observed, sent in the reply's meta so the renderer's
   * sidebar follows every reply; undefined for a tenant that is gone (just removed).
   */
  statusOf?: (tenantId: string) => TenantStatus | undefined | Promise<TenantStatus | undefined>
}

export function createRouter(handlers: Handlers, log: Logger, now: () => number = Date.now, hooks: RouterHooks = {}) {
  // A failed status read must never turn a reply into a failure: the status is extra.
  const statusFor = async (tenant: unknown): Promise<TenantStatus | undefined> => {
    if (typeof tenant !== 'string' || !hooks.statusOf) return undefined
    try {
      return await hooks.statusOf(tenant)
    } catch {
      return undefined
    }
  }
  return async function invoke(channel: unknown, payload: unknown): Promise<Reply<unknown>> {
    let tenant: unknown
    try {
      if (!isChannel(channel)) {
        return { ok: false, error: { code: 'VALIDATION', message: `KeyDesk has no operation named "${String(channel).slice(0, 80)}".` } }
      }
      const entry = contract[channel]
      const input = entry.input.safeParse(payload)
      if (!input.success) {
        const fields = fieldErrors(input.error)
        const first = Object.entries(fields)[0]
        return {
          ok: false,
          error: { code: 'VALIDATION', message: `Invalid input for ${channel}${first ? `: ${first[0]}: ${first[1]}` : ''}.`, fields }
        }
      }
      const handler = handlers[channel] as (args: unknown) => Promise<Handled<unknown>>
      tenant = (input.data as { tenant?: unknown } | undefined)?.tenant
      let result: Handled<unknown>
      try {
        result = await handler(input.data)
      } catch (err) {
        if (typeof tenant === 'string') hooks.observe?.(tenant, toAppError(err))
        throw err
      }
      if (typeof tenant === 'string') {
        // An answer from the snapshot means MeshQu could not be reached for this tenant.
        if (result.observed !== undefined) hooks.observe?.(tenant, result.observed)
        else if (result.meta?.servedFrom === 'network') hooks.observe?.(tenant, null)
        else if (result.meta?.servedFrom === 'store') hooks.observe?.(tenant, { code: 'OFFLINE', message: 'served from cache' })
      }
      // The output schema, or the channel's declared cheaper check (contract.ts, KeysParsedOnEntry).
      const output = replySchema(channel).safeParse(result.data)
      if (!output.success) {
        log.error(`reply for ${channel} broke the contract`, fieldErrors(output.error))
        throw new CoreError('INTERNAL', 'KeyDesk produced a reply it could not vouch for, so it was withheld. Try again; report it if it repeats.')
      }
      const meta: Meta = {
        tenantId: typeof tenant === 'string' ? tenant : null,
        servedFrom: 'local',
        syncedAt: null,
        ...result.meta
      }
      if (meta.servedFrom === 'network' && meta.syncedAt === null) meta.syncedAt = now()
      const tenantStatus = await statusFor(tenant)
      if (tenantStatus) meta.tenantStatus = tenantStatus
      log.debug(`${channel} ok (${meta.servedFrom})`)
      return { ok: true, data: output.data, meta }
    } catch (err) {
      if (!(err instanceof CoreError)) log.error(`handler for ${String(channel)} failed`, err)
      const error = toAppError(err)
      log.debug(`${String(channel)} failed: ${error.code} ${error.message}`)
      const tenantStatus = await statusFor(tenant)
      return tenantStatus && typeof tenant === 'string' ? { ok: false, error, meta: { tenantId: tenant, tenantStatus } } : { ok: false, error }
    }
  }
}
