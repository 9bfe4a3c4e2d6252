// The Electron entry point. Everything here lives in ./electron; the rest of main is plain Node.
import { startShell } from './electron/app'

startShell()
