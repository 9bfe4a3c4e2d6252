// The copy-once feature's public surface: other features and app/ import these, never its files.
export { CopyOnceDialog } from './CopyOnceDialog'
