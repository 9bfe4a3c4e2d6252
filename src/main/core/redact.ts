/**
 * Masks anything that looks like a MeshQu key (mqu_live_…, mqu_test_…, mqk_…) down to its
 * preview form, so no admin or plaintext key can reach a log line, an error message or a crash
 * report. Previews (prefix...last4) pass through unchanged.
 */
const KEY_LIKE = /\b(mq[a-z]_(?:[a-z]+_)?)([A-Za-z0-9_-]{8,})/g
const BEARER = /(Bearer\s+)([^\s"'`,;]+)/gi

export function maskKey(key: string): string {
  const m = /^(mq[a-z]_(?:[a-z]+_)?)/.exec(key)
  const prefix = m?.[1] ?? ''
  if (key.length <= prefix.length + 4) return `${prefix}...`
  return `${prefix}...${key.slice(-4)}`
}

export function redact(text: string): string {
  return text
    .replace(BEARER, (_all, lead: string, token: string) => `${lead}${maskKey(token)}`)
    .replace(KEY_LIKE, (all: string) => maskKey(all))
}
