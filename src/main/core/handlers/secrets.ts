import type { ClipboardPort } from '../ports'
import type { Handlers } from '../router'
import type { RevealSlots } from '../secrets/reveal-slots'

/** The copy-once dialog's reads of a fresh key's plaintext, which never leaves main otherwise. */
export function secretHandlers(d: {
  slots: RevealSlots
  clipboard?: ClipboardPort
}): Pick<Handlers, 'secrets.reveal' | 'secrets.copy' | 'secrets.discard'> {
  return {
    'secrets.reveal': async ({ revealId }) => ({ data: { plaintext: d.slots.reveal(revealId) } }),
    'secrets.copy': async ({ revealId }) => ({ data: d.slots.copy(revealId, d.clipboard) }),
    'secrets.discard': async ({ revealId }) => ({ data: { discarded: d.slots.discard(revealId) } })
  }
}
