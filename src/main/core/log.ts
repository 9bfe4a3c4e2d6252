import { redact } from './redact'

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'
export interface Logger {
  debug(msg: string, data?: unknown): void
  info(msg: string, data?: unknown): void
  warn(msg: string, data?: unknown): void
  error(msg: string, data?: unknown): void
}

export type LogSink = (line: string) => void

function render(data: unknown): string {
  if (data === undefined) return ''
  if (data instanceof Error) return ` ${data.name}: ${data.message}`
  try {
    return ` ${JSON.stringify(data)}`
  } catch {
    return ' [unserializable]'
  }
}

/** The one logger of the main process: every line goes through redact() before it is written. */
export function createLogger(sink: LogSink = (line) => process.stderr.write(`${line}\n`), minLevel: LogLevel = 'info'): Logger {
  const order: LogLevel[] = ['debug', 'info', 'warn', 'error']
  const write = (level: LogLevel) => (msg: string, data?: unknown) => {
    if (order.indexOf(level) < order.indexOf(minLevel)) return
    sink(redact(`${new Date().toISOString()} ${level.toUpperCase()} ${msg}${render(data)}`))
  }
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') }
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} }
