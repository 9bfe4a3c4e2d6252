import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { expect, test } from '@playwright/test'
import { contentSecurityPolicy } from '../../src/shared/csp'

// `npm run build` (run by test:e2e first) must leave what Electron loads: main, a single
// CommonJS preload that requires nothing but 'electron' (a sandboxed preload can load nothing
// else), and the renderer.
const out = resolve(__dirname, '../../out')

test('the build writes out/main, a self-contained CommonJS preload and out/renderer', () => {
  expect(existsSync(`${out}/main/index.js`)).toBe(true)
  expect(existsSync(`${out}/renderer/index.html`)).toBe(true)
  const preload = readFileSync(`${out}/preload/index.js`, 'utf8')
  expect(preload).toMatch(/require\(["']electron["']\)/)
  const required = [...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1])
  expect([...new Set(required)]).toEqual(['electron'])
  expect(preload).not.toMatch(/^\s*(import|export)\s/m)
  expect(preload).toContain('exposeInMainWorld')
})

// Issue 12 B4: keytar runs in its own process (a utilityProcess in Electron), built as a second
// main entry; it must not need Electron, which a utility process's plain Node side cannot require.
test('the build writes the keychain worker beside main: it loads keytar and never electron', () => {
  const worker = readFileSync(`${out}/main/keychain-worker.js`, 'utf8')
  expect(worker).toMatch(/["']keytar["']/)
  expect(worker).not.toMatch(/require\(["']electron["']\)/)
})

// Issue 13: the CSP lives in src/shared/csp.ts only; the build writes it into index.html after
// <meta charset> and before every script, so it governs all of them.
test("the built index.html carries src/shared/csp.ts's policy before any script", () => {
  const html = readFileSync(`${out}/renderer/index.html`, 'utf8')
  const metas = [...html.matchAll(/<meta http-equiv="Content-Security-Policy" content="([^"]*)"/g)]
  expect(metas).toHaveLength(1)
  const decoded = metas[0]![1]!
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
  expect(decoded).toBe(contentSecurityPolicy({ delivery: 'meta' }))
  expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<script'))
  expect(html.indexOf('<meta charset')).toBeLessThan(html.indexOf('Content-Security-Policy'))
})
