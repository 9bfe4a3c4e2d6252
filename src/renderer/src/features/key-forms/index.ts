// The key-forms feature's public surface: other features and app/ import these, never its files.
export { CreateKeyDialog } from './CreateKeyDialog'
export { RotateDialog } from './RotateDialog'
