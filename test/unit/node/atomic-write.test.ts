import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { atomicWriteFile } from '../../../src/node/fs/atomic-write'

// src/node/: Node-only code that main and the sandbox share (the sandbox never imports main).
describe('atomicWriteFile', () => {
  it.skipIf(process.platform === 'win32')('replaces a file with mode 0600 and leaves no temp file behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keydesk-atomic-'))
    const path = join(dir, 'state.json')
    writeFileSync(path, 'old', { mode: 0o644 })
    await atomicWriteFile(path, 'new')
    expect(readFileSync(path, 'utf8')).toBe('new')
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(readdirSync(dir)).toEqual(['state.json'])
  })

  it('fails without touching anything when the folder is missing', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'keydesk-atomic-')), 'missing')
    await expect(atomicWriteFile(join(dir, 'x.json'), '{}')).rejects.toMatchObject({ code: 'ENOENT' })
  })
})
