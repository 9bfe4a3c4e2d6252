import { describe, expect, it } from 'vitest'
import { CHANNELS } from '../../../src/shared/contract'
import { bootShell, createFakeElectron } from '../../fixtures/fake-electron'

// The fake Electron (test/fixtures/fake-electron.ts) gives each boot a new Electron and newly
// loaded shell modules: what one test did is never seen by the next.
describe('the fake Electron', () => {
  it('is a new Electron each time', () => {
    const a = createFakeElectron()
    const b = createFakeElectron({ packaged: false })
    new a.electron.BrowserWindow({ webPreferences: {} })
    a.electron.ipcMain.handle('x', async () => 1)
    a.app.setPath('userData', '/elsewhere')
    expect(a.state.windows).toHaveLength(1)
    expect(b.state.windows).toHaveLength(0)
    expect(b.electron.BrowserWindow.getAllWindows()).toEqual([])
    expect(b.state.handlers.size).toBe(0)
    expect(b.app.getPath('userData')).toBe('/fake/userData')
    expect([a.app.isPackaged, b.app.isPackaged]).toEqual([true, false])
  })

  it('boots the shell afresh: a second boot registers its handlers once and shows nothing of the first', async () => {
    const first = await bootShell({ packaged: true })
    first.window!.emit('ready-to-show')
    first.fake.app.emit('window-all-closed')
    const second = await bootShell({ packaged: true })
    expect(second.state.windows).toHaveLength(1)
    expect(second.window!.shown).toBe(false)
    expect(second.state.calls).not.toContain('quit')
    expect([...second.state.handlers.keys()].sort()).toEqual([...CHANNELS].sort())
    expect(second.core.options).toHaveLength(1)
    expect(second.core.invoke).not.toHaveBeenCalled()
    expect(first.window!.shown).toBe(true)
  })
})
