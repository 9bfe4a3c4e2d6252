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

/**
 * True when a request's Host header names this server the way a local client would: a loopback
 * name or address (localhost, 127.x, [::1]) or the literal address the connection arrived on,
 * with the port the connection arrived on. A web page that rebinds its own DNS name to 127.0.0.1
 * still sends its own name as Host, so it is refused: no name but `localhost` is trusted.
 */
export function isOwnHost(host: string | undefined, local: { address?: string; port?: number }): boolean {
  if (!host || local.port === undefined) return false
  let url: URL
  try {
    url = new URL(`http://${host}`)
  } catch {
    return false
  }
  // `evil@127.0.0.1` or `127.0.0.1/x` parse, but are not a Host.
  if (url.username || url.password || url.host !== host.toLowerCase()) return false
  const port = url.port === '' ? 80 : Number(url.port)
  if (port !== local.port) return false
  const name = url.hostname
  if (name === 'localhost' || isLoopbackAddress(name)) return true
  // Bound to a LAN address on purpose (`--host 0.0.0.0`): that address, as a literal, is fine too.
  return isIP(unbracket(name)) !== 0 && local.address !== undefined && sameAddress(unbracket(name), local.address)
}

function unbracket(a: string): string {
  return a.startsWith('[') && a.endsWith(']') ? a.slice(1, -1) : a
}

function sameAddress(a: string, b: string): boolean {
  const norm = (x: string) => x.toLowerCase().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '')
  return norm(a) === norm(b)
}
