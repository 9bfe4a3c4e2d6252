// @vitest-environment jsdom
import { screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { StartupNotices } from '../../../../src/renderer/src/app/Notices'
import { useNotices } from '../../../../src/renderer/src/app/notices'
import { ok, renderWithKeyDesk } from './render'

// main's sentence (store/worker/store-client.ts WORKER_RESTARTED); the renderer shows it as sent.
const WORKER_RESTARTED =
  'The fleet store stopped unexpectedly and was started again. Lists and search are as last saved; a change that was being saved when it stopped may not have been.'

describe("the fleet store's own warnings", () => {
  it('a store thread started again is said on every screen, once, until dismissed', async () => {
    useNotices.setState({ notices: [], dismissed: new Set() })
    const { user } = renderWithKeyDesk(<StartupNotices warnings={[]} />, {
      fakes: {
        'store.status': () =>
          ok({
            state: 'open',
            reason: null,
            problem: null,
            schedulesHeld: null,
            warnings: [WORKER_RESTARTED, WORKER_RESTARTED],
            incidents: [],
            path: 'keydesk.db'
          })
      }
    })
    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toContain('The fleet store stopped unexpectedly and was started again.')
    expect(screen.getAllByRole('alert')).toHaveLength(1)
    await user.click(screen.getByRole('button', { name: /^Dismiss/ }))
    expect(screen.queryByRole('alert')).toBeNull()
  })
})
