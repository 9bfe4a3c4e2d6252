import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * The web preview's launcher: a small HTML file, readable by this user only (0600 in a 0700
 * folder), that forwards the browser to the one-time-code URL. The browser launcher (xdg-open,
 * open, explorer) gets only the file's path on its command line, which every local user can read
 * in /proc/<pid>/cmdline; the code stays in the file.
 */
export async function writeLauncher(url: string, dir = tmpdir()): Promise<{ path: string; remove(): Promise<void> }> {
  const folder = await mkdtemp(join(dir, 'keydesk-web-'))
  const path = join(folder, 'open-keydesk.html')
  const escaped = url.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')
  const html = `<!doctype html><meta charset="utf-8"><meta name="referrer" content="no-referrer"><meta http-equiv="refresh" content="0;url=${escaped}"><title>Opening KeyDesk…</title><p>Opening KeyDesk…</p>\n`
  await writeFile(path, html, { mode: 0o600, flag: 'wx' })
  return { path, remove: () => rm(folder, { recursive: true, force: true }) }
}
