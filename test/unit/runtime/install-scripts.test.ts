import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

// npm 12 runs a dependency's install scripts only when package.json's allowScripts allows them;
// anything else is skipped without an error, and KeyDesk then lacks Node 22, keytar or esbuild.
// Every dependency with an install script must be decided here: allowed at the version that was
// reviewed, or denied.
const root = resolve(__dirname, '../../..')
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { allowScripts?: Record<string, boolean> }
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; resolved?: string; hasInstallScript?: boolean; name?: string }>
}
const allowScripts = pkg.allowScripts ?? {}

/** The package name of a lockfile location (`node_modules/a/node_modules/@s/b` → `@s/b`). */
const nameOf = (location: string) => lock.packages[location]?.name ?? location.slice(location.lastIndexOf('node_modules/') + 'node_modules/'.length)

/**
 * Locations whose install scripts npm would run: what the lockfile records, and, where the tree is
 * installed, what npm reads from disk (explicit pre/install/postinstall, or the node-gyp build npm
 * runs for a binding.gyp; npm 11 ran it for better-sqlite3-multiple-ciphers, whose lockfile entry
 * does not say so).
 */
function withInstallScripts(): string[] {
  const found = new Set<string>()
  for (const [location, entry] of Object.entries(lock.packages)) {
    if (location === '') continue // the project's own scripts are not dependency scripts
    if (entry.hasInstallScript) found.add(location)
    const dir = join(root, location)
    if (!existsSync(join(dir, 'package.json'))) continue
    const scripts = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {}
    if (scripts.preinstall || scripts.install || scripts.postinstall || existsSync(join(dir, 'binding.gyp'))) found.add(location)
  }
  return [...found].sort()
}

/**
 * The verdict allowScripts gives a package, the way npm matches it. The lockfile records no
 * download addresses, so npm cannot verify a version pin (`name@x.y.z`) and writes approvals by
 * name (`npm install-scripts approve <name>`); a version pin would match nothing here.
 */
function verdict(name: string): boolean | undefined {
  return allowScripts[name]
}

describe('allowScripts in package.json', () => {
  it('decides every dependency that has an install script: allowed at its locked version, or denied', () => {
    const found = withInstallScripts()
    expect(found.map(nameOf)).toEqual(expect.arrayContaining(['node', 'keytar', 'esbuild', 'electron-winstaller']))
    const undecided = found.filter((location) => verdict(nameOf(location)) === undefined)
    expect(undecided).toEqual([])
  })

  it('names each package the way npm writes it for this lockfile, and each one is locked', () => {
    for (const key of Object.keys(allowScripts)) {
      expect(key, 'by name, as npm writes it for a lockfile without download addresses').toMatch(/^(@[^/@]+\/)?[^/@]+$/)
      expect(
        Object.keys(lock.packages).some((l) => l !== '' && nameOf(l) === key),
        `${key} is in the lockfile`
      ).toBe(true)
    }
    // A version pin needs a download address in the lockfile to be verified; there is none.
    expect(Object.values(lock.packages).some((e) => e.resolved !== undefined)).toBe(false)
  })

  it('is enforced in CI: an unreviewed install script fails the install', () => {
    const ci = readFileSync(join(root, '.ci/run'), 'utf8')
    const install = ci.split('\n').find((l) => /^\s*npm ci\b/.test(l))
    expect(install).toMatch(/--strict-allow-scripts\b/)
    // npm calls it an unknown config and will stop reading it.
    expect(ci).not.toMatch(/npm_config_build_from_source/)
  })
})
