import { describe, expect, it } from 'vitest'
import { parseCliArgs, UsageError } from '../../../src/sandbox/cli'

describe('sandbox CLI flags', () => {
  it('has documented defaults', () => {
    expect(parseCliArgs([])).toEqual({
      help: false,
      port: 0,
      host: '127.0.0.1',
      tenants: 2,
      seedKeys: 25,
      rateLimit: 1000,
      preAuthLimit: 10_000,
      windowSeconds: 60,
      credentialsOut: undefined,
      dataDir: undefined,
      quiet: false
    })
  })

  it('parses every flag', () => {
    const o = parseCliArgs(
      '--port 4010 --tenants 3 --seed-keys 50 --rate-limit 10 --pre-auth-limit 20 --window-seconds 5 --credentials-out c.json --data-dir d --quiet'.split(
        ' '
      )
    )
    expect(o).toMatchObject({
      port: 4010,
      tenants: 3,
      seedKeys: 50,
      rateLimit: 10,
      preAuthLimit: 20,
      windowSeconds: 5,
      credentialsOut: 'c.json',
      dataDir: 'd',
      quiet: true
    })
    expect(parseCliArgs(['-h']).help).toBe(true)
  })

  it.each([
    ['--port', '65536'],
    ['--port', '-1'],
    ['--port', '1e3'],
    ['--tenants', 'two'],
    ['--rate-limit', '0'],
    ['--window-seconds', '0'],
    ['--seed-keys', ''],
    ['--credentials-out', ''],
    ['--nope'],
    ['positional']
  ])('rejects %s %s', (...args) => {
    expect(() => parseCliArgs(args)).toThrow(UsageError)
  })
})
