import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'
import type { Plugin } from 'vite'

/**
 * The renderer's CSP <meta> stays strict in every build. Only the dev server (npm run dev) swaps
 * it for one that lets Vite's HMR client and React's refresh preamble run.
 */
function devCsp(): Plugin {
  return {
    name: 'keydesk-dev-csp',
    apply: 'serve',
    transformIndexHtml(html) {
      return html.replace(
        /(http-equiv="Content-Security-Policy"\s+content=")[^"]*"/,
        `$1default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self' ws: http://localhost:*; base-uri 'none'; form-action 'none'; object-src 'none'"`
      )
    }
  }
}

// Entries follow electron-vite's defaults (plus main's keychain worker): src/main/index.ts, src/preload/index.ts and
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
          'keychain-worker': resolve(__dirname, 'src/main/core/tenants/keychain-worker.ts')
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
    plugins: [react(), devCsp()]
  }
})
