// The search feature's public surface: other features and app/ import these, never its files.
export { SearchAllDialog } from './SearchAllDialog'
