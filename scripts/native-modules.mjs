#!/usr/bin/env node
// postinstall: prove that the native modules load in the Node that runs the scripts (Node 22 from
// the `node` devDependency, first on npm scripts' PATH), and rebuild keytar against that Node's own
// headers when it does not. Exits non-zero with one paragraph of advice, so a broken install is
// visible at `npm install` time instead of as a crash in a test.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'

const require = createRequire(import.meta.url)
const root = resolve(dirname(new URL(import.meta.url).pathname), '..')
const major = Number(process.versions.node.split('.')[0])

function loads(name) {
  try {
    require(name)
    return null
  } catch (err) {
    return err
  }
}

/** Headers of the Node running us: the `node` package keeps the official tarball's include/ beside its binary. */
function ownNodeDir() {
  const candidates = [
    process.env.npm_config_nodedir,
    join(root, 'node_modules/node/node_modules', `node-${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`),
    join(root, 'node_modules/node/node_modules', `node-bin-${process.platform}-${process.arch}`),
    resolve(dirname(process.execPath), '..')
  ]
  return candidates.find((d) => d && existsSync(join(d, 'include/node/node.h')))
}

if (major < 22) {
  console.error(
    `KeyDesk needs Node 22 (found ${process.version} at ${process.execPath}). npm scripts normally run the Node 22 ` +
      'that the `node` devDependency installs; run `npm ci` again, or install Node 22.12+ yourself.'
  )
  process.exit(1)
}

let keytarErr = loads('keytar')
if (keytarErr) {
  const nodedir = ownNodeDir()
  console.error(
    `keytar does not load in Node ${process.version} (${keytarErr.code ?? keytarErr.message}); rebuilding it${nodedir ? ` against ${nodedir}` : ''}…`
  )
  const gyp = require.resolve('node-gyp/bin/node-gyp.js')
  const r = spawnSync(process.execPath, [gyp, 'rebuild', ...(nodedir ? [`--nodedir=${nodedir}`] : [])], {
    cwd: dirname(require.resolve('keytar/package.json')),
    stdio: 'inherit'
  })
  keytarErr = r.status === 0 ? loads('keytar') : keytarErr
}
const sqliteErr = loads('better-sqlite3-multiple-ciphers')

const problems = []
if (keytarErr)
  problems.push(
    'keytar (the OS keychain) could not be built or loaded. On Debian/Ubuntu install libsecret-1-dev, build-essential, python3 and pkg-config, then run `npm rebuild keytar`.'
  )
if (sqliteErr)
  problems.push(
    `better-sqlite3-multiple-ciphers (the encrypted store) does not load in ${process.version}: ${sqliteErr.message.split('\n')[0]}. Its package ships binaries for Node 22; check that npm scripts run Node 22.`
  )
if (problems.length) {
  console.error(problems.join('\n'))
  process.exit(1)
}
console.log(`native modules load in Node ${process.version} (ABI ${process.versions.modules}): keytar, better-sqlite3-multiple-ciphers`)
