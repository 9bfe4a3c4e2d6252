import { existsSync } from 'node:fs'

/**
 * How every Chromium of ours is launched: the e2e tests (playwright.config.ts) and the benches
 * (bench/ui-10k.ts, bench/fleet.ts). Debian's Chromium when present, because Playwright cannot
 * download browsers here; else Playwright's own. KEYDESK_CHROMIUM names another binary.
 */
export const CHROMIUM_PATH: string | undefined = process.env.KEYDESK_CHROMIUM ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined)

/** No sandbox (containers), no GPU, and nothing that talks to the network behind the test's back. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync'
]

export const chromiumLaunchOptions = () => ({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] })
