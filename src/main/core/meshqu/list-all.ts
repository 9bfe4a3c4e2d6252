import type { ApiKey, KeyStatusFilter } from '../../../shared/meshqu'
import type { RateLimitSnapshot } from '../../../shared/ratelimit'
import type { CallKind } from '../ratelimit/scheduler'
import type { MeshquClient } from './client'

/**
 * Reads every key of a tenant through MeshQu's offset pagination, which shifts under change:
 * keys created or revoked while paging, short pages, unstable order, a total that moves. Offsets
 * are never planned from `total`; each page's offset is where the previous one ended, until
 * `has_more` is false. A pass that saw the total change, an id twice, or fewer keys than counted is
 * read again (bounded); if no pass is consistent, the union is returned marked incomplete.
 */

export const LIST_LIMITS = {
  /** MeshQu's largest page [ASSUMED]; fewer, bigger pages spend less of the rate limit. */
  pageSize: 500,
  /** Requests for one listing, re-reads included: 250 full pages hold 125,000 keys. */
  maxPages: 250,
  /** Keys kept from one listing, whatever `total` claims (memory stays bounded). */
  maxKeys: 100_000,
  /** Extra passes when a pass was inconsistent. */
  rereads: 2,
  /** Pages in flight at once once the page size is known; the scheduler still paces them. */
  parallel: 4
}

export type ListAllLimits = typeof LIST_LIMITS

export interface ListAllResult {
  keys: ApiKey[]
  /** MeshQu's last reported total (equals keys.length for a consistent listing). */
  total: number
  /** Requests made, re-reads and discarded look-ahead pages included. */
  pages: number
  incomplete?: true
  incompleteReason?: string
  rateLimit?: RateLimitSnapshot
}

type Lister = Pick<MeshquClient, 'listKeys'>

interface Pass {
  keys: Map<string, ApiKey>
  firstTotal?: number
  lastTotal: number
  repeated: number
  finished: boolean
  /** has_more was true but the page was empty: no way forward. */
  stuckAt?: number
  /** Keys KeyDesk could not use (an id it cannot send back): left out, so the list is not whole. */
  unusable: number
  capped?: 'pages' | 'keys'
}

export interface ListAllOptions {
  status: KeyStatusFilter
  limits?: Partial<ListAllLimits>
  /** 'background' (the fleet sync): every page keeps the rate-limit reserve, the first one too. */
  kind?: CallKind
  /** Ends the listing (CANCELLED): a cancelled fleet sync stops its pages at once. */
  signal?: AbortSignal
}

export async function listAllKeys(client: Lister, opts: ListAllOptions): Promise<ListAllResult> {
  const lim = { ...LIST_LIMITS, ...opts.limits }
  const budget = { left: lim.maxPages, used: 0 }
  let rateLimit: RateLimitSnapshot | undefined
  const passes: Pass[] = []

  for (let n = 0; n <= lim.rereads; n++) {
    const pass = await readPass(n === 0)
    passes.push(pass)
    if (isConsistent(pass)) return { keys: [...pass.keys.values()], total: pass.lastTotal, pages: budget.used, rateLimit }
    // A cap, or keys KeyDesk cannot use, will be there again on a re-read: stop here.
    if (pass.capped || pass.unusable > 0) break
  }

  // Nothing consistent: keep every key seen, the newest reading of each, and say so.
  const union = new Map<string, ApiKey>()
  for (const p of passes) for (const [id, k] of p.keys) if (union.size < lim.maxKeys || union.has(id)) union.set(id, k)
  const last = passes[passes.length - 1]!
  return {
    keys: [...union.values()],
    total: last.lastTotal,
    pages: budget.used,
    incomplete: true,
    incompleteReason: describe(passes, budget.used, lim),
    rateLimit
  }

  async function readPass(firstOfListing: boolean): Promise<Pass> {
    const pass: Pass = { keys: new Map(), lastTotal: 0, repeated: 0, finished: false, unusable: 0 }
    let offset = 0
    /** Largest page seen: where look-ahead pages are asked. Unknown until the first page. */
    let step = 0
    for (;;) {
      if (budget.left <= 0) {
        pass.capped = 'pages'
        return pass
      }
      if (pass.keys.size >= lim.maxKeys) {
        pass.capped = 'keys'
        return pass
      }
      // Look ahead only when the page size is known and the latest total says more pages exist:
      // `total` is a hint for how far to look, never a reason to stop or skip.
      const remaining = pass.lastTotal - offset
      const width =
        step > 0 && remaining > step
          ? Math.max(1, Math.min(lim.parallel, budget.left, Math.ceil(remaining / step), Math.ceil((lim.maxKeys - pass.keys.size) / step)))
          : 1
      const offsets = Array.from({ length: width }, (_, i) => offset + i * step)
      budget.left -= width
      budget.used += width
      // The first page answers the click; the rest is bulk work that keeps the rate-limit reserve.
      const kind: CallKind = opts.kind === 'background' ? 'background' : firstOfListing && offset === 0 ? 'interactive' : 'background'
      const pages = await Promise.all(
        offsets.map((o) => client.listKeys({ status: opts.status, limit: lim.pageSize, offset: o }, { kind, signal: opts.signal }))
      )

      for (let i = 0; i < pages.length; i++) {
        // An earlier page of this batch was short, so this one was asked at the wrong offset.
        if (offsets[i] !== offset) break
        const page = pages[i]!
        rateLimit = page.rateLimit ?? rateLimit
        const { data, pagination, unusable } = page.data
        pass.unusable += unusable
        if (pass.firstTotal === undefined) pass.firstTotal = pagination.total
        pass.lastTotal = pagination.total
        for (const k of data) {
          if (pass.keys.has(k.id)) pass.repeated++
          else if (pass.keys.size >= lim.maxKeys) {
            pass.capped = 'keys'
            continue
          }
          pass.keys.set(k.id, k)
        }
        if (!pagination.has_more || pass.capped) {
          pass.finished = !pagination.has_more
          return pass
        }
        // Keys left out still took their places in MeshQu's order: the next page starts after them.
        const read = data.length + unusable
        if (read === 0) {
          pass.stuckAt = offset
          return pass
        }
        offset += read
        step = Math.max(step, read)
      }
    }
  }
}

function isConsistent(p: Pass): boolean {
  return p.finished && !p.capped && p.unusable === 0 && p.repeated === 0 && p.firstTotal === p.lastTotal && p.keys.size === p.lastTotal
}

/** One sentence for the keys view. */
function describe(passes: Pass[], pages: number, lim: ListAllLimits): string {
  const last = passes[passes.length - 1]!
  if (last.unusable > 0) {
    const n = last.unusable
    return `MeshQu listed ${n} key${n === 1 ? '' : 's'} KeyDesk cannot use (an id that is not a UUID or a token of letters, digits, "_" and "-", or a field missing), left out of the list shown; act on ${n === 1 ? 'it' : 'them'} in MeshQu itself.`
  }
  if (last.capped) {
    const what = last.capped === 'pages' ? `${pages} requests` : `${lim.maxKeys.toLocaleString('en-US')} keys`
    return `MeshQu reports ${last.lastTotal.toLocaleString('en-US')} keys; KeyDesk stopped after ${what}, its limit for one listing, so the list shown is partial.`
  }
  const first = passes[0]!
  const signs: string[] = []
  if (first.firstTotal !== first.lastTotal) signs.push(`the total went from ${first.firstTotal} to ${first.lastTotal}`)
  if (first.repeated > 0) signs.push(`${first.repeated} key${first.repeated === 1 ? ' was' : 's were'} listed twice`)
  if (first.stuckAt !== undefined) signs.push(`MeshQu said more keys follow but sent an empty page at offset ${first.stuckAt}`)
  if (first.finished && first.keys.size !== first.lastTotal) signs.push(`MeshQu counts ${first.lastTotal} keys but listed ${first.keys.size}`)
  const why = signs.length ? ` (${signs.join('; ')})` : ''
  return `The key list changed while KeyDesk was reading it${why}, and ${passes.length - 1} re-read${passes.length === 2 ? '' : 's'} did not give a consistent list; some keys may be missing or out of date. Refresh to try again.`
}
