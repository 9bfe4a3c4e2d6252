/** Protection levels: what other features may use of this one. */
export { confirmMode, type ConfirmMode } from './confirm-mode'
export { LevelSelect } from './LevelSelect'
export { useEndUnlock, useRefreshUnlocks, useStartUnlock, useUnlockList, useUnlocks, useWritesLocked, writesLocked } from './queries'
export { UnlockAndRevokeDialog, type UnlockRevokeTarget } from './UnlockAndRevokeDialog'
export { UnlockBanner, useAnyUnlock } from './UnlockBanner'
export { UnlockDialog } from './UnlockDialog'
export { UnlockFields, type UnlockMinutes } from './UnlockFields'
export { countdown, LEVEL_HINT, LEVEL_LABEL } from './words'
