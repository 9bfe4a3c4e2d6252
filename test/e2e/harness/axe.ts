import AxeBuilder from '@axe-core/playwright'
import { expect, type Page } from '@playwright/test'

/** The rules axe checks: WCAG 2.1 A/AA, 2.2 AA, best practices and the experimental rules. */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice', 'experimental']
const SIZES = [
  { width: 1024, height: 700 },
  { width: 1280, height: 800 }
]

/**
 * The rules whose outcome depends on the colours or the window's size. Every rule runs once per
 * screen (1024×700, light); these run again at 1280×800 and in dark, where only they can change.
 */
const SIZE_AND_COLOUR_RULES = ['color-contrast', 'link-in-text-block', 'target-size', 'scrollable-region-focusable', 'meta-viewport']

/**
 * axe on what is on screen now, at 1024×700 and 1280×800, in light and dark: no critical or serious
 * violation. `include` narrows it to one part (a dialog, a view) when the rest is another sweep's.
 */
export async function check(page: Page, screen: string, include?: string) {
  const before = page.viewportSize()
  for (const size of SIZES) {
    await page.setViewportSize(size)
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme })
      const first = size === SIZES[0] && scheme === 'light'
      // withRules replaces withTags (axe runs one or the other); the rules are all in TAGS.
      const axe = include ? new AxeBuilder({ page }).include(include) : new AxeBuilder({ page })
      const result = await (first ? axe.withTags(TAGS) : axe.withRules(SIZE_AND_COLOUR_RULES)).analyze()
      const bad = result.violations
        .filter((v) => v.impact === 'critical' || v.impact === 'serious')
        .map(
          (v) =>
            `${v.id} (${v.impact}): ${v.nodes
              .map((n) => n.target.join(' '))
              .slice(0, 4)
              .join(' | ')}`
        )
      expect(bad, `${screen}, ${size.width}×${size.height}, ${scheme}`).toEqual([])
    }
  }
  await page.emulateMedia({ colorScheme: 'light' })
  if (before) await page.setViewportSize(before)
}
