import { KEY_PATTERN_SOURCE, TRIAGE_KEYS_MAX } from '../../../shared/triage'

/**
 * Every MeshQu-looking key in a text, each once, in the order first seen: at most `max`, the
 * rest counted. Previews (`mqu_live_...x7Kf`) are not keys: the dots end the match.
 */
export function extractKeys(text: string, max = TRIAGE_KEYS_MAX): { keys: string[]; more: number } {
  const seen = new Set<string>()
  let more = 0
  for (const m of text.matchAll(new RegExp(KEY_PATTERN_SOURCE, 'g'))) {
    if (seen.has(m[0])) continue
    if (seen.size >= max) more++
    else seen.add(m[0])
  }
  return { keys: [...seen], more }
}
