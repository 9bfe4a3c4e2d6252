import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

// Issue 12 C1: a packaged KeyDesk must not run as a plain Node runtime under its own signature
// (which the OS keychain trusts). electron-builder flips these fuses at packaging time.
const yml = readFileSync(resolve(__dirname, '../../../electron-builder.yml'), 'utf8')

/** The `electronFuses:` block as key → value, read line by line (a top-level key of plain scalars). */
function fusesBlock(text: string): Record<string, string> {
  const lines = text.split('\n')
  const start = lines.findIndex((l) => /^electronFuses:\s*(#.*)?$/.test(l))
  if (start < 0) return {}
  const out: Record<string, string> = {}
  for (const line of lines.slice(start + 1)) {
    if (/^\s*(#.*)?$/.test(line)) continue
    const m = /^ {2}(\w+):\s*([^\s#]+)\s*(#.*)?$/.exec(line)
    if (!m) break
    out[m[1]!] = m[2]!
  }
  return out
}

describe('electron-builder.yml electronFuses', () => {
  it('turns off running as Node, NODE_OPTIONS and --inspect, and loads only the checked asar', () => {
    expect(fusesBlock(yml)).toEqual({
      runAsNode: 'false',
      enableNodeOptionsEnvironmentVariable: 'false',
      enableNodeCliInspectArguments: 'false',
      enableEmbeddedAsarIntegrityValidation: 'true',
      onlyLoadAppFromAsar: 'true'
    })
  })

  it('is set once, and the app is packaged as an asar (the fuses above rely on it)', () => {
    expect(yml.match(/^electronFuses:/gm)).toHaveLength(1)
    expect(yml).not.toMatch(/^asar:\s*false/m)
  })
})

describe('electron-builder.yml native modules', () => {
  it('unpacks every native module from the asar, the fleet store among them', () => {
    const lines = yml.split('\n')
    const start = lines.findIndex((l) => /^asarUnpack:/.test(l))
    const entries: string[] = []
    for (const line of lines.slice(start + 1)) {
      if (/^\s*#/.test(line)) continue
      const m = /^ {2}- (\S+)/.exec(line)
      if (!m) break
      entries.push(m[1]!)
    }
    const pkg = JSON.parse(readFileSync(resolve(__dirname, '../../../package.json'), 'utf8')) as { dependencies: Record<string, string> }
    for (const native of ['keytar', 'better-sqlite3-multiple-ciphers']) {
      expect(pkg.dependencies).toHaveProperty(native)
      expect(entries).toContain(`node_modules/${native}/**`)
    }
  })
})
