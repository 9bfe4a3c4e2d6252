import { describe, expect, it } from 'vitest'
import { isLoopbackAddress } from '../../../src/sandbox/loopback'

describe('isLoopbackAddress (guards /__sandbox)', () => {
  it.each(['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1', '[::1]', '0:0:0:0:0:0:0:1', '::1%lo'])('accepts %s', (a) => {
    expect(isLoopbackAddress(a)).toBe(true)
  })

  it.each(['10.0.0.5', '192.168.1.2', '::ffff:10.0.0.5', 'fe80::1', '0.0.0.0', '::', '128.0.0.1', 'localhost', '', undefined, null, '127.0.0.1.evil'])(
    'rejects %s',
    (a) => {
      expect(isLoopbackAddress(a)).toBe(false)
    }
  )
})
