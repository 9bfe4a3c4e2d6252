/**
 * Masks anything that looks like a MeshQu key (mqu_live_…, mqu_test_…, mqk_…) down to its
 * preview form, so no admin or plaintext key can reach a log line, an error message or a crash
 * report. Previews (prefix...last4) pass through unchanged.
 *
 * Pattern matching cannot know every key shape (an admin key may be any 8–512 non-space
 * characters), so the secrets KeyDesk actually holds (loaded admin keys, plaintexts in reveal
 * slots) are also registered here with holdSecret() and replaced wherever they appear: raw,
 * URL-encoded or JSON-escaped, prefix in any case.
 */
const KEY_LIKE = /\bmq[a-z]_[A-Za-z0-9_-]{8,}/gi
const BEARER = /(Bearer\s+)([^\s"'`,;]+)/gi
/** The only part of a key a preview shows besides its last 4: `mqk_`, or `mqu_` plus a known environment. */
const PREFIX = /^mq[a-z]_(?:(?:live|test)_)?/i
/** Shorter strings are not worth a global replace (and would mask ordinary words). */
const MIN_HELD_LENGTH = 8

export function keyPrefix(key: string): string {
  return PREFIX.exec(key)?.[0] ?? ''
}

export function maskKey(key: string): string {
  const prefix = keyPrefix(key)
  if (key.length <= prefix.length + 4) return `${prefix}...`
  return `${prefix}...${key.slice(-4)}`
}

// --- exact secrets held in memory ---------------------------------------------------------------

const held = new Map<string, number>() // secret → number of holders
let heldPattern: RegExp | null = null
let heldMasks: string[] = [] // group h<i> → the mask of the secret it matches

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')
const anyCase = (s: string) =>
  [...s].map((c) => (c.toLowerCase() !== c.toUpperCase() ? `[${c.toLowerCase()}${c.toUpperCase()}]` : escapeRe(c))).join('')

/** The forms a secret takes in text we might emit: raw, in a URL, inside a JSON string (once or twice). */
function encodings(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1)
  return [...new Set([secret, encodeURIComponent(secret), json, JSON.stringify(json).slice(1, -1)])]
}

/** Prefix in any case; %XX escapes in any case; the rest exact. */
function sourceFor(secret: string, form: string): string {
  const prefix = keyPrefix(secret)
  const body = form
    .slice(prefix.length)
    .split(/(%[0-9A-Fa-f]{2})/)
    .map((part, i) => (i % 2 === 1 ? anyCase(part) : escapeRe(part)))
    .join('')
  return anyCase(prefix) + body
}

/** The pattern is rebuilt on the next redact(), not on each hold: a campaign holds hundreds at once. */
let stale = false

function rebuild() {
  stale = false
  const sources: string[] = []
  heldMasks = []
  // Longest first, so a secret that contains another is masked whole.
  for (const secret of [...held.keys()].sort((a, b) => b.length - a.length)) {
    for (const form of encodings(secret)) {
      sources.push(`(?<h${heldMasks.length}>${sourceFor(secret, form)})`)
      heldMasks.push(maskKey(secret))
    }
  }
  heldPattern = sources.length ? new RegExp(sources.join('|'), 'g') : null
}

function maskHeld(...args: unknown[]): string {
  const groups = args[args.length - 1] as Record<string, string | undefined>
  for (const [name, value] of Object.entries(groups)) if (value !== undefined) return heldMasks[Number(name.slice(1))]!
  return '...'
}

/**
 * Registers a secret KeyDesk holds, so redact() masks it wherever it appears. Returns the release
 * function; a secret held twice stays registered until both holders release it.
 */
export function holdSecret(secret: string): () => void {
  if (secret.length < MIN_HELD_LENGTH) return () => {}
  held.set(secret, (held.get(secret) ?? 0) + 1)
  stale = true
  let released = false
  return () => {
    if (released) return
    released = true
    const n = (held.get(secret) ?? 1) - 1
    if (n <= 0) held.delete(secret)
    else held.set(secret, n)
    stale = true
  }
}

export function redact(text: string): string {
  if (stale) rebuild()
  const exact = heldPattern ? text.replace(heldPattern, maskHeld) : text
  return exact.replace(BEARER, (_all, lead: string, token: string) => `${lead}${maskKey(token)}`).replace(KEY_LIKE, (all: string) => maskKey(all))
}

/** redact() over every string inside a value (error extras such as `fields`, details). */
export function redactDeep<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return redact(value) as T
  if (depth > 8 || value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, depth + 1)) as T
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) out[redact(k)] = redactDeep(v, depth + 1)
  return out as T
}
