// The package ships better-sqlite3's declarations but its "exports" map hides them from
// TypeScript; its API is better-sqlite3's, so borrow those types.
declare module 'better-sqlite3-multiple-ciphers' {
  import Database from 'better-sqlite3'
  export default Database
}
