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

/** The verdict allowScripts gives a package at a version, the way npm matches it. */
function verdict(name: string, version: string): boolean | undefined {
  if (allowScripts[name] === false) return false
  if (allowScripts[`${name}@${version}`] === true) return true
  return undefined
}

describe('allowScripts in package.json', () => {
  it('decides every dependency that has an install script: allowed at its locked version, or denied', () => {
    const found = withInstallScripts()
    expect(found.map(nameOf)).toEqual(expect.arrayContaining(['node', 'keytar', 'esbuild', 'electron-winstaller']))
    const undecided = found.filter((location) => verdict(nameOf(location), lock.packages[location]!.version ?? '') === undefined)
    expect(undecided).toEqual([])
  })

  it('allows only pinned versions (name@x.y.z), each one npm can verify from the lockfile', () => {
    for (const [key, allowed] of Object.entries(allowScripts)) {
      if (!allowed) {
        expect(key, 'a denial is name-only, so it covers every version').toMatch(/^(@[^/@]+\/)?[^/@]+$/)
        continue
      }
      const m = /^((?:@[^/@]+\/)?[^/@]+)@(\d+\.\d+\.\d+(?:-[\w.]+)?)$/.exec(key)
      expect(m, `${key} is pinned to one version`).not.toBeNull()
      const [, name, version] = m!
      const locations = Object.keys(lock.packages).filter((l) => l !== '' && nameOf(l) === name)
      expect(locations.length, `${name} is in the lockfile`).toBeGreaterThan(0)
      for (const location of locations) {
        const entry = lock.packages[location]!
        // An approval for a version no longer locked matches nothing: the package's script is skipped.
        expect(entry.version, `${location} is locked at the reviewed ${version}`).toBe(version)
        // npm trusts only the name and version in the registry URL, never the tarball's own package.json.
        const base = name!.split('/').pop()
        expect(entry.resolved, `${location} has a resolved URL`).toBe(`https://registry.npmjs.org/${name}/-/${base}-${version}.tgz`)
      }
    }
  })

  it('keeps resolved URLs in the lockfile, whatever a user-level .npmrc says', () => {
    const npmrc = readFileSync(join(root, '.npmrc'), 'utf8')
    expect(npmrc).toMatch(/^omit-lockfile-registry-resolved\s*=\s*false\s*$/m)
  })

  it('is enforced in CI: an unreviewed install script fails the install', () => {
    const ci = readFileSync(join(root, '.ci/run'), 'utf8')
    const install = ci.split('\n').find((l) => /^\s*npm ci\b/.test(l))
    expect(install).toMatch(/--strict-allow-scripts\b/)
    // npm calls it an unknown config and will stop reading it.
    expect(ci).not.toMatch(/npm_config_build_from_source/)
  })
})
