import { describe, expect, it } from 'vitest'
import { clearIfUnchanged, clipboardStatusText } from '../../../src/renderer/src/features/copy-once/browser-clipboard'

// Issue 12 C3: in the web preview, a browser that does not let the page read the clipboard made
// the copy-once dialog say "Clipboard cleared" anyway.
const digest = async (t: string) => `h(${t})`
function clipboard(text: string, opts: { readable?: boolean; writable?: boolean } = {}) {
  const state = { text, writes: [] as string[] }
  return {
    state,
    readText: async () => {
      if (opts.readable === false) throw new DOMException('Read permission denied.', 'NotAllowedError')
      return state.text
    },
    writeText: async (t: string) => {
      if (opts.writable === false) throw new DOMException('Write permission denied.', 'NotAllowedError')
      state.writes.push(t)
      state.text = t
    }
  }
}

describe('clearing the browser clipboard', () => {
  it('clears it when it still holds the key', async () => {
    const c = clipboard('mqu_test_secret')
    expect(await clearIfUnchanged(c, 'h(mqu_test_secret)', digest)).toBe('cleared')
    expect(c.state.text).toBe('')
  })
  it('leaves something else alone', async () => {
    const c = clipboard('something the user copied since')
    expect(await clearIfUnchanged(c, 'h(mqu_test_secret)', digest)).toBe('changed')
    expect(c.state.writes).toEqual([])
  })
  it('reports a clipboard it may not read as unchecked, and writes nothing blindly', async () => {
    const c = clipboard('mqu_test_secret', { readable: false })
    expect(await clearIfUnchanged(c, 'h(mqu_test_secret)', digest)).toBe('unreadable')
    expect(c.state.writes).toEqual([])
  })
  it('reports a refused write as not cleared', async () => {
    expect(await clearIfUnchanged(clipboard('mqu_test_secret', { writable: false }), 'h(mqu_test_secret)', digest)).toBe('failed')
  })
})

describe('the copy-once dialog clipboard line', () => {
  it('never says "Clipboard cleared" when the browser would not let KeyDesk read it', () => {
    const text = clipboardStatusText(0, 'browser', 'unreadable')
    expect(text).not.toMatch(/cleared/i)
    expect(text).toMatch(/could not check or clear the clipboard/)
    expect(clipboardStatusText(0, 'browser', 'failed')).toMatch(/could not clear the clipboard/)
    expect(clipboardStatusText(0, 'browser', 'changed')).not.toMatch(/cleared/i)
    // Before the check has answered, nothing is claimed either.
    expect(clipboardStatusText(0, 'browser', null)).not.toMatch(/cleared/i)
  })
  it('says cleared only when it was', () => {
    expect(clipboardStatusText(0, 'browser', 'cleared')).toBe('Clipboard cleared')
    expect(clipboardStatusText(0, 'main', null)).toBe('Clipboard cleared')
  })
  it('promises only an attempt while the browser countdown runs', () => {
    expect(clipboardStatusText(12, 'browser', null)).toBe('Copied. KeyDesk will try to clear the clipboard in 12 s')
    expect(clipboardStatusText(12, 'main', null)).toBe('Copied. Clipboard clears in 12 s')
    expect(clipboardStatusText(null, 'main', null)).toBe('')
  })
})
