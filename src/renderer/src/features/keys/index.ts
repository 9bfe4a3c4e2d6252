// The keys feature's public surface: other features and app/ import these, never its files.
export { KeysView } from './KeysView'
export { RevokeDialog } from './RevokeDialog'
export { WriteBlocked } from './WriteBlocked'
export { keysGrid } from './keys-grid'
export { useKeys, usePendingRotations, type KeysData } from './queries'
export { useWriteBlock, writeBlockReason } from './write-block'
export { WhenKeysListed } from './WhenKeysListed'
