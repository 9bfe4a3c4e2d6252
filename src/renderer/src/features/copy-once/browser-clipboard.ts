/** What became of the copied key when the browser's clipboard was to be cleared. */
export type BrowserClearOutcome = 'cleared' | 'changed' | 'unreadable' | 'failed'

interface ClipboardLike {
  readText(): Promise<string>
  writeText(text: string): Promise<void>
}

/**
 * Clears the browser clipboard only if it still holds the key (compared by hash: the key itself
 * is not kept). A browser that does not let the page read the clipboard gets no write either:
 * KeyDesk cannot know what is there, and must not claim it cleared it.
 */
export async function clearIfUnchanged(
  clipboard: ClipboardLike,
  hash: string,
  digest: (text: string) => Promise<string>
): Promise<BrowserClearOutcome> {
  let current: string
  try {
    current = await clipboard.readText()
  } catch {
    return 'unreadable'
  }
  if (!current || (await digest(current)) !== hash) return 'changed'
  try {
    await clipboard.writeText('')
    return 'cleared'
  } catch {
    return 'failed'
  }
}

/**
 * The copy-once dialog's clipboard line. `outcome` is known only for the browser's clipboard;
 * KeyDesk's own (Electron) clipboard is cleared by main, which can always read it.
 */
export function clipboardStatusText(remaining: number | null, via: 'main' | 'browser', outcome: BrowserClearOutcome | null): string {
  if (remaining === null) return ''
  if (remaining > 0)
    return via === 'main' ? `Copied. Clipboard clears in ${remaining} s` : `Copied. KeyDesk will try to clear the clipboard in ${remaining} s`
  if (via === 'main') return 'Clipboard cleared'
  switch (outcome) {
    case 'cleared':
      return 'Clipboard cleared'
    case 'changed':
      return 'The clipboard holds something else now; KeyDesk left it alone.'
    case 'unreadable':
      return 'KeyDesk could not check or clear the clipboard: this browser does not let it read the clipboard. Clear it yourself if it still holds the key.'
    case 'failed':
      return 'KeyDesk could not clear the clipboard. Clear it yourself if it still holds the key.'
    default:
      return 'Checking the clipboard…'
  }
}
