import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'
import { cspPlugin } from './scripts/csp-plugin'

// Entries follow electron-vite's defaults (plus main's keychain and store workers): src/main/index.ts, src/preload/index.ts and
// src/renderer/index.html. package.json has no "type": "module", so the preload is emitted as
// one CommonJS file (out/preload/index.js), which a sandboxed preload requires.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          // keytar's own process (a utilityProcess): a native crash there cannot take main down.
          'keychain-worker': resolve(__dirname, 'src/main/core/tenants/keychain-worker.ts'),
          // The fleet store's thread (worker_threads): every SQL statement runs there, never on main's loop.
          'store-worker': resolve(__dirname, 'src/main/core/store/worker/store-worker.ts')
        }
      }
    }
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload can require nothing but 'electron': bundle zod and the contract in.
      externalizeDeps: { exclude: ['zod'] },
      rollupOptions: { output: { format: 'cjs' } }
    }
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    build: { outDir: resolve(__dirname, 'out/renderer') },
    // The CSP <meta> comes from src/shared/csp.ts, like the shell's and the web preview's header.
    plugins: [react(), cspPlugin()]
  }
})
