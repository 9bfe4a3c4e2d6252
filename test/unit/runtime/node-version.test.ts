import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'

const require = createRequire(import.meta.url)

// The suites must run on the Node that Electron 45 embeds (22), whatever the system's Node is:
// npm scripts put the `node` devDependency first on PATH.
describe('runtime', () => {
  it('runs on Node 22 or newer', () => {
    expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(22)
  })

  it('loads both native modules in this Node', () => {
    const Database = require('better-sqlite3-multiple-ciphers') as typeof import('better-sqlite3')
    const db = new Database(':memory:')
    expect(db.prepare('select sqlite_version() as v').get()).toMatchObject({ v: expect.any(String) })
    db.close()
    expect(typeof (require('keytar') as typeof import('keytar')).getPassword).toBe('function')
  })
})
