import { createMemorySecretStore } from '../../src/main/core/tenants/memory-store'
import { KeychainUnavailableError, type SecretStore } from '../../src/main/core/tenants/secret-store'
import { expect, snap, test } from './harness/fixtures'

// Issue 12 B4, the window's side: app.info says "locked" (the real gnome-keyring case is
// test/integration/keychain-locked.test.ts); the window says so and Retry asks again once unlocked.
const memory = createMemorySecretStore()
const keychain = { locked: true }
const lockable: SecretStore = {
  get: async (a) => (keychain.locked ? Promise.reject(new KeychainUnavailableError('The keychain is locked.', 'locked')) : memory.get(a)),
  set: async (a, s) => (keychain.locked ? Promise.reject(new KeychainUnavailableError('The keychain is locked.', 'locked')) : memory.set(a, s)),
  delete: (a) => memory.delete(a),
  list: () => memory.list(),
  availability: async () => (keychain.locked ? 'locked' : 'available')
}
test.use({ coreOptions: { secretStore: lockable } })

test('a locked keychain is said as such, with Retry that clears it once unlocked', async ({ page, harness }) => {
  await harness.open(page)
  const notice = page.getByTestId('keychain-notice')
  await expect(notice).toContainText('The keychain is locked')
  await snap(page, 'keychain-locked')
  keychain.locked = false
  await notice.getByRole('button', { name: 'Retry' }).click()
  await expect(notice).toHaveCount(0)
})
