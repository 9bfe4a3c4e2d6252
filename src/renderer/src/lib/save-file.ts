import { useMutation } from '@tanstack/react-query'
import type { ChannelInput } from '../../../shared/contract'
import { api, unwrap } from './api'

/** Saves an export through main's save dialog; READ_ONLY where there is none (the caller downloads). */
export function useSaveFile() {
  return useMutation({ mutationFn: async (input: ChannelInput<'files.save'>) => unwrap(await api().files.save(input)) })
}

/** Downloads text through the browser where there is no save dialog (web preview, test harness). */
export function downloadText(name: string, mimeType: string, content: string) {
  const url = URL.createObjectURL(new Blob([content], { type: mimeType }))
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.append(a)
  a.click()
  a.remove()
  // Revoked later, not at once: the browser reads the blob after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
