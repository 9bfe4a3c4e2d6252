import { CHANNELS, type Channel, type ChannelInput, type ChannelOutput, type Contract } from './contract'
import type { Reply } from './envelope'

/** The transport: Electron's ipcRenderer.invoke, or the e2e harness's exposed function. */
export type Invoke = (channel: Channel, payload: unknown) => Promise<unknown>

type AreaOf<C extends string> = C extends `${infer A}.${string}` ? A : never

type Method<C extends Channel> =
  undefined extends ChannelInput<C>
    ? (input?: ChannelInput<C>) => Promise<Reply<ChannelOutput<C>>>
    : (input: ChannelInput<C>) => Promise<Reply<ChannelOutput<C>>>

/** window.keydesk: one typed method per contract entry, grouped by area (keys.create, …). */
export type KeyDeskApi = {
  readonly [A in AreaOf<Channel>]: {
    readonly [C in Channel as C extends `${A}.${infer O}` ? O : never]: Method<C>
  }
}

export function createBridge(invoke: Invoke): KeyDeskApi {
  const api: Record<string, Record<string, (input?: unknown) => Promise<unknown>>> = {}
  for (const channel of CHANNELS) {
    const [area, op] = channel.split('.') as [string, string]
    const group = (api[area] ??= {})
    group[op] = (input?: unknown) => invoke(channel, input)
  }
  for (const group of Object.values(api)) Object.freeze(group)
  return Object.freeze(api) as unknown as KeyDeskApi
}

export type { Contract }
