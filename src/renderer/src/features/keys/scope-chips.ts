/**
 * Which scope chips fit a cell whole: never a chip cut mid-word. Pure, so it is tested without a
 * layout engine; the table measures text with a canvas and passes the cell's width.
 */
export const CHIP_CHROME = 18 // 8 px padding each side + 1 px border each side
export const CHIP_GAP = 4

export function fitChips(scopes: readonly string[], width: number, textWidth: (s: string) => number): { shown: string[]; more: number } {
  const chip = (s: string) => Math.ceil(textWidth(s)) + CHIP_CHROME
  const shown: string[] = []
  let used = 0
  for (let i = 0; i < scopes.length; i++) {
    const s = scopes[i]!
    const rest = scopes.length - i - 1
    // Room is kept for the "+N" chip whenever something would still be left over.
    const reserve = rest > 0 ? CHIP_GAP + chip(`+${rest}`) : 0
    const next = used + (shown.length ? CHIP_GAP : 0) + chip(s)
    if (next + reserve > width) break
    shown.push(s)
    used = next
  }
  return { shown, more: scopes.length - shown.length }
}

let ctx: CanvasRenderingContext2D | null | undefined
// Scopes come from a short list and repeat on every row: each is measured once, not per row render.
const widths = new Map<string, number>()
/** Text width in the chip's font; a per-character estimate where there is no canvas (tests). */
export function chipTextWidth(s: string): number {
  let w = widths.get(s)
  if (w === undefined) widths.set(s, (w = measure(s)))
  return w
}

function measure(s: string): number {
  if (ctx === undefined) {
    try {
      ctx = document.createElement('canvas').getContext('2d')
    } catch {
      ctx = null
    }
    if (ctx) ctx.font = "11.5px system-ui, -apple-system, 'Segoe UI', Roboto, Ubuntu, sans-serif"
  }
  return ctx ? ctx.measureText(s).width + 1 : s.length * 7
}
