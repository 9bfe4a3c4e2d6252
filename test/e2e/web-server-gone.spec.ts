import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { expect, test } from '@playwright/test'
import { createCore } from '../../src/main/core'
import { silentLogger } from '../../src/main/core/log'
import { createMemorySecretStore } from '../../src/main/core/tenants/memory-store'
import { startWebServer } from '../../src/main/web/server'

const ROOT = resolve(__dirname, '../..')

/**
 * The web preview's tab when its server stops: it says so at once, stops asking (no storm of
 * refused requests), and offers Reload once the server answers again. The server runs in this
 * process (the same startWebServer as npm run start:web), so it can stop and start on the same
 * port and token, as a restarted server a tab could rejoin.
 */
test("the web preview's tab notices its server is gone, backs off, and offers Reload when it is back", async ({ page }) => {
  test.setTimeout(120_000)
  const core = createCore({ dataDir: mkdtempSync(join(tmpdir(), 'keydesk-gone-')), secretStore: createMemorySecretStore(), logger: silentLogger })
  const rendererDir = join(ROOT, 'out/renderer')
  let web = await startWebServer({ core, rendererDir, log: silentLogger })
  const { port } = new URL(web.origin)
  try {
    await page.goto(web.launchUrl())
    await page.getByRole('button', { name: 'Try the sandbox' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Sandbox (demo)' })).toBeVisible()
    await expect(page.getByRole('grid', { name: 'API keys' }).getByRole('row').nth(3)).toBeVisible()

    let calls = 0
    page.on('request', (r) => {
      if (/\/(rpc|events)$/.test(new URL(r.url()).pathname)) calls++
    })
    await web.close()
    const gone = page.getByRole('alert').filter({ hasText: "KeyDesk's web server is not answering." })
    await expect(gone).toBeVisible({ timeout: 5_000 })
    // What the tab last read stays on screen.
    await expect(page.getByRole('grid', { name: 'API keys' }).getByRole('row').nth(3)).toBeVisible()

    // 20 s without a server: a handful of tries (1, 2, 4, 8 s apart), not one per poll.
    calls = 0
    await page.waitForTimeout(20_000)
    expect(calls).toBeLessThanOrEqual(6)
    await expect(gone).toBeVisible()

    web = await startWebServer({ core, rendererDir, log: silentLogger, port: Number(port), token: web.token })
    const back = page.getByRole('alert').filter({ hasText: "KeyDesk's web server is back." })
    await expect(back).toBeVisible({ timeout: 35_000 })
    await expect(gone).toHaveCount(0)
    await back.getByRole('button', { name: 'Reload' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Sandbox (demo)' })).toBeVisible()
    await expect(page.getByRole('alert').filter({ hasText: "KeyDesk's web server" })).toHaveCount(0)
  } finally {
    await web.close()
    await core.dispose()
  }
})
