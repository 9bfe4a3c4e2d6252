// @vitest-environment jsdom
import { fireEvent, screen, within } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { CopyOnceDialog } from '../../../../src/renderer/src/features/copy-once/CopyOnceDialog'
import { ok, renderWithKeyDesk, tenantView } from './render'

// Built at run time: no tracked file holds anything shaped like a real key.
const PLAINTEXT = `mqu_test_${'S3cretValue'}ForTheTestOnly${'0'.repeat(4)}`
const dialog = () => screen.getByRole('dialog', { name: 'Copy your new key' })

function renderCopyOnce(onDone = vi.fn()) {
  const r = renderWithKeyDesk(
    <CopyOnceDialog tenant={tenantView()} keyName="billing" preview="mqu_test_...0000" revealId="slot-1" onDone={onDone} />,
    {
      fakes: {
        'secrets.reveal': () => ok({ plaintext: PLAINTEXT }),
        'secrets.copy': () => ok({ clearsAt: Date.now() + 30_000 }),
        'secrets.discard': () => ok({ discarded: true })
      }
    }
  )
  return { ...r, onDone }
}

describe('CopyOnceDialog', () => {
  it('shows the key masked until Reveal, and Done only after the acknowledgement', async () => {
    const { user, onDone, callsTo } = renderCopyOnce()
    expect(dialog().textContent).not.toContain(PLAINTEXT)
    await user.click(within(dialog()).getByRole('button', { name: 'Reveal key' }))
    expect(await within(dialog()).findByText(PLAINTEXT)).toBeTruthy()
    const done = within(dialog()).getByRole('button', { name: 'Done' }) as HTMLButtonElement
    expect(done.disabled).toBe(true)
    await user.click(within(dialog()).getByRole('checkbox', { name: 'I have stored this key' }))
    expect(done.disabled).toBe(false)
    await user.click(done)
    expect(onDone).toHaveBeenCalledTimes(1)
    expect(callsTo('secrets.discard')).toEqual([{ revealId: 'slot-1' }])
  })

  it('asks before closing without the acknowledgement, and closes only on "Close without storing"', async () => {
    const { user, onDone } = renderCopyOnce()
    fireEvent(dialog(), new Event('cancel', { cancelable: true }))
    const confirm = await screen.findByRole('alertdialog', { name: 'Close without storing the key?' })
    expect(onDone).not.toHaveBeenCalled()
    await user.click(within(confirm).getByRole('button', { name: 'Keep it open' }))
    expect(screen.queryByRole('alertdialog')).toBeNull()
    fireEvent(dialog(), new Event('cancel', { cancelable: true }))
    await user.click(await screen.findByRole('button', { name: 'Close without storing' }))
    expect(onDone).toHaveBeenCalledTimes(1)
  })

  it('copies through main and says when the clipboard clears', async () => {
    const { user, callsTo } = renderCopyOnce()
    await user.click(within(dialog()).getByRole('button', { name: 'Copy key' }))
    expect(await within(dialog()).findByText(/Clipboard clears in \d+ s/)).toBeTruthy()
    expect(callsTo('secrets.copy')).toEqual([{ revealId: 'slot-1' }])
  })
})
