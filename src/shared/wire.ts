/**
 * The web preview's reply body over HTTP (src/main/web/server.ts → lib/web-transport.ts). Replies
 * are JSON, except that long strings — keys.fromStore's list, itself JSON text — go after the
 * reply as they are: inside a JSON string every quote of that text would be escaped by the
 * server and unescaped by the page (measured: about as long as parsing the list itself).
 * Electron's IPC needs none of this: it copies a string as it is.
 */
export const FRAMED_TYPE = 'application/vnd.keydesk.framed+json'

/** Strings at least this long travel raw. */
export const RAW_MIN_CHARS = 64 * 1024

/** Stands for the n-th raw string in the framed reply. No contract schema names such a key. */
const MARK = '\u0000keydesk.raw'

/**
 * The body for `reply`: plain JSON when it holds no long string; else one line of lengths, the
 * reply with each long string replaced by a mark, then the strings one after another.
 */
export function frameReply(reply: unknown): { type: string; body: string } {
  const raw: string[] = []
  const json = JSON.stringify(reply, (_key, value: unknown) =>
    typeof value === 'string' && value.length >= RAW_MIN_CHARS ? { [MARK]: raw.push(value) - 1 } : value
  )
  if (raw.length === 0) return { type: 'application/json', body: json }
  return { type: FRAMED_TYPE, body: `${JSON.stringify({ json: json.length, raw: raw.map((s) => s.length) })}\n${json}${raw.join('')}` }
}

/** The reply frameReply() framed, from the body's text (lengths are in UTF-16 units, as JS counts). */
export function unframeReply(text: string): unknown {
  const line = text.indexOf('\n')
  const sizes = JSON.parse(text.slice(0, line)) as { json: number; raw: number[] }
  let at = line + 1 + sizes.json
  const raw = sizes.raw.map((n) => text.slice(at, (at += n)))
  return JSON.parse(text.slice(line + 1, line + 1 + sizes.json), (_key, value: unknown) =>
    value !== null && typeof value === 'object' && MARK in value ? raw[(value as Record<string, number>)[MARK]!] : value
  )
}
