import { describe, expect, it } from 'vitest'
import { isLoopbackAddress, isOwnHost } from '../../../src/sandbox/loopback'

describe('isLoopbackAddress (guards /__sandbox)', () => {
  it.each(['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1', '[::1]', '0:0:0:0:0:0:0:1', '::1%lo'])('accepts %s', (a) => {
    expect(isLoopbackAddress(a)).toBe(true)
  })

  it.each([
    '10.0.0.5',
    '192.168.1.2',
    '::ffff:10.0.0.5',
    'fe80::1',
    '0.0.0.0',
    '::',
    '128.0.0.1',
    'localhost',
    '',
    undefined,
    null,
    '127.0.0.1.evil'
  ])('rejects %s', (a) => {
    expect(isLoopbackAddress(a)).toBe(false)
  })
})

describe('isOwnHost (guards every sandbox request against DNS rebinding)', () => {
  const local = { address: '127.0.0.1', port: 4010 }
  it.each(['127.0.0.1:4010', 'localhost:4010', 'LOCALHOST:4010', '[::1]:4010', '127.0.0.2:4010'])('accepts %s', (host) => {
    expect(isOwnHost(host, local)).toBe(true)
  })
  it.each([
    'evil.example:4010', // a rebound name
    'localhost.evil.example:4010',
    'localhost:4011', // another port
    'localhost', // port 80 implied
    '127.0.0.1', // port 80 implied
    'evil@127.0.0.1:4010',
    '127.0.0.1:4010/x',
    '10.0.0.5:4010', // a LAN address we are not bound to
    '',
    undefined
  ])('refuses %s', (host) => {
    expect(isOwnHost(host, local)).toBe(false)
  })
  it('accepts the literal address it was reached on when bound beyond loopback, never a name', () => {
    expect(isOwnHost('192.168.1.7:4010', { address: '::ffff:192.168.1.7', port: 4010 })).toBe(true)
    expect(isOwnHost('lan-box:4010', { address: '192.168.1.7', port: 4010 })).toBe(false)
  })
  it('refuses when the local port is unknown', () => {
    expect(isOwnHost('127.0.0.1:4010', { address: '127.0.0.1' })).toBe(false)
  })
})
