import type { Page } from '@playwright/test'
import { addTenantViaUi, expect, snap, test } from './harness/fixtures'

test.use({
  sandboxOptions: { port: 0, tenants: 2, seedKeys: 120, quiet: true }
})

const SIZES = [
  { width: 1024, height: 700 },
  { width: 1280, height: 800 },
  { width: 1600, height: 1000 }
]

/** Nothing on the page scrolls sideways: neither the document nor any element's content. */
async function sidewaysOverflow(page: Page) {
  return page.evaluate(() => {
    const doc = document.documentElement
    const out: string[] = []
    if (doc.scrollWidth > doc.clientWidth) out.push(`document ${doc.scrollWidth} > ${doc.clientWidth}`)
    const grid = document.querySelector('[role=grid]') as HTMLElement | null
    if (grid && grid.scrollWidth > grid.clientWidth) out.push(`grid ${grid.scrollWidth} > ${grid.clientWidth}`)
    return out
  })
}

test('the keys grid fits 1024, 1280 and 1600 px: no sideways scroll, aligned columns, whole chips and statuses', async ({ page, harness }) => {
  // The favicon (and every other file the page asks for) is served: no 404 (defect 14).
  const missing: string[] = []
  page.on('response', (r) => {
    if (r.status() >= 400) missing.push(`${r.status()} ${r.url()}`)
  })
  await harness.open(page)
  const icon = await page.evaluate(async () => {
    const href = document.querySelector<HTMLLinkElement>('link[rel=icon]')?.href
    return href ? (await fetch(href)).status : null
  })
  expect(icon).toBe(200)
  expect(missing).toEqual([])
  await addTenantViaUi(page, harness, 0, { label: 'acme-staging' })
  await expect(page.getByText('120 keys')).toBeVisible()
  const grid = page.getByRole('grid', { name: 'API keys' })
  for (const size of SIZES) {
    await page.setViewportSize(size)
    await expect(grid.getByRole('row').nth(3)).toBeVisible()
    expect(await sidewaysOverflow(page), `at ${size.width}×${size.height}`).toEqual([])
    const report = await page.evaluate(() => {
      const grid = document.querySelector('[role=grid]')!
      const head = [...grid.querySelectorAll('[role=columnheader]')].filter((c) => (c as HTMLElement).offsetParent !== null)
      const rows = [...grid.querySelectorAll('.tbody [role=row]')].slice(0, 8)
      const misaligned: string[] = []
      const clipped: string[] = []
      for (const row of rows) {
        const cells = [...row.querySelectorAll('[role=gridcell]')].filter((c) => (c as HTMLElement).offsetParent !== null)
        if (cells.length !== head.length) misaligned.push(`${cells.length} cells under ${head.length} headers`)
        cells.forEach((c, i) => {
          const a = c.getBoundingClientRect()
          const b = head[i]!.getBoundingClientRect()
          if (Math.abs(a.left - b.left) > 1 || Math.abs(a.width - b.width) > 1)
            misaligned.push(`column ${i}: cell ${a.left}+${a.width} vs head ${b.left}+${b.width}`)
        })
        // Status text and chips are never cut: each fits inside its cell.
        for (const el of row.querySelectorAll('.td-status > *, .td-scopes .chip, .own-chip')) {
          const cell = el.closest('[role=gridcell]')!.getBoundingClientRect()
          const r = el.getBoundingClientRect()
          if (r.right > cell.right + 0.5 || (el as HTMLElement).scrollWidth > (el as HTMLElement).clientWidth + 1) clipped.push(el.textContent ?? '')
        }
        // Times and the preview are never cut with an ellipsis either (only a long name may be).
        for (const c of row.querySelectorAll('.td-key_preview, .td-created_at, .td-expires_at, .td-last_used_at')) {
          if ((c as HTMLElement).offsetParent !== null && c.scrollWidth > c.clientWidth) clipped.push(c.textContent ?? '')
        }
      }
      return {
        misaligned,
        clipped,
        name: head[1]!.getBoundingClientRect().width,
        scopes: head[3]!.getBoundingClientRect().width
      }
    })
    expect(report.misaligned, `at ${size.width}`).toEqual([])
    expect(report.clipped, `at ${size.width}`).toEqual([])
    // The name column takes the spare width.
    expect(report.name).toBeGreaterThanOrEqual(report.scopes - 40)
  }
  // KeyDesk's own admin key keeps its marker at the narrowest size.
  await page.setViewportSize(SIZES[0]!)
  await page.getByRole('searchbox', { name: 'Search keys' }).fill(harness.sandbox.tenants[0]!.admin_key.slice(-4))
  await expect(grid.getByText("KeyDesk's admin key")).toBeVisible()
  const marker = await grid.getByText("KeyDesk's admin key").boundingBox()
  const cell = await grid.getByRole('gridcell').filter({ hasText: "KeyDesk's admin key" }).boundingBox()
  expect(marker!.x + marker!.width).toBeLessThanOrEqual(cell!.x + cell!.width + 0.5)
  await page.getByRole('searchbox', { name: 'Search keys' }).fill('')

  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme })
    for (const size of SIZES.slice(0, 2)) {
      await page.setViewportSize(size)
      await snap(page, `layout-${size.width}-${scheme}`)
    }
  }
  await grid.getByRole('row').nth(2).click()
  await expect(page.getByRole('complementary', { name: /^Details of / })).toBeVisible()
  await snap(page, 'layout-1280-dark-detail')
})

test('scope chips: whole chips, then +N naming every scope', async ({ page, harness }) => {
  await harness.open(page)
  await addTenantViaUi(page, harness, 0, { label: 'acme-staging' })
  await expect(page.getByText('120 keys')).toBeVisible()
  await page.setViewportSize(SIZES[0]!)
  const grid = page.getByRole('grid', { name: 'API keys' })
  const more = grid.getByRole('img', { name: /^\d+ scopes: / }).first()
  await expect(more).toBeVisible()
  // Read in one go: a resize re-fits the chips.
  const { label, title, shown, plus } = await more.evaluate((el) => ({
    label: el.getAttribute('aria-label')!,
    title: el.getAttribute('title')!,
    shown: [...el.parentElement!.querySelectorAll('.chip:not(.more-chip)')].map((c) => c.textContent!),
    plus: Number(el.textContent!.slice(1))
  }))
  expect(title).toBe(label.replace(/^\d+ scopes: /, ''))
  // The visible chips are whole scope names, and +N counts the rest.
  const all = title.split(', ')
  expect(Number(label.match(/^(\d+)/)![1])).toBe(all.length)
  expect(shown.length + plus).toBe(all.length)
  const whole = shown
  for (const w of whole) expect(label).toContain(w)
})

test('dialogs at 1024×700: the footer stays in view and every control is reachable', async ({ page, harness }) => {
  await harness.open(page)
  await addTenantViaUi(page, harness, 0, { label: 'acme-staging' })
  await expect(page.getByText('120 keys')).toBeVisible()
  await page.setViewportSize(SIZES[0]!)
  await page.getByRole('button', { name: 'Create key' }).click()
  const create = page.getByRole('dialog', { name: 'Create API key' })
  const viewport = SIZES[0]!
  const inView = async (box: { x: number; y: number; width: number; height: number } | null) => {
    expect(box).not.toBeNull()
    expect(box!.y).toBeGreaterThanOrEqual(0)
    expect(box!.y + box!.height).toBeLessThanOrEqual(viewport.height)
  }
  // The primary action is visible without scrolling the dialog: the footer is pinned.
  await inView(await create.getByRole('button', { name: 'Create key' }).boundingBox())
  await snap(page, 'dialog-create-1024')
  // Every control can be brought into view (the body scrolls, nothing is cut off for good).
  const controls = create.locator('button, input, select, textarea')
  const n = await controls.count()
  for (let i = 0; i < n; i++) {
    const c = controls.nth(i)
    if (!(await c.isVisible())) continue
    await c.scrollIntoViewIfNeeded()
    await inView(await c.boundingBox())
  }
  await inView(await create.getByRole('button', { name: 'Create key' }).boundingBox())
})
