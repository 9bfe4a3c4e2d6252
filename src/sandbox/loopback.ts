import { isIP } from 'node:net'

/**
 * True when a socket's remote address is the local machine: 127.0.0.0/8, ::1, or an IPv4-mapped
 * loopback (::ffff:127.x.y.z). The /__sandbox control routes answer only such peers.
 */
export function isLoopbackAddress(address: string | undefined | null): boolean {
  if (!address) return false
  let a = address.trim().toLowerCase()
  if (a.startsWith('[') && a.endsWith(']')) a = a.slice(1, -1)
  const zone = a.indexOf('%')
  if (zone >= 0) a = a.slice(0, zone)
  if (a.startsWith('::ffff:')) {
    const v4 = a.slice('::ffff:'.length)
    if (isIP(v4) === 4) a = v4
  }
  const family = isIP(a)
  if (family === 4) return a.split('.')[0] === '127'
  if (family === 6) return a === '::1' || a === '0:0:0:0:0:0:0:1'
  return false
}
