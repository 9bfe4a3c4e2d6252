import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'

// Entries follow electron-vite's defaults: src/main/index.ts, src/preload/index.ts and
// src/renderer/index.html. package.json has no "type": "module", so the preload is emitted as
// one CommonJS file (out/preload/index.js), which a sandboxed preload requires.
export default defineConfig({
  main: {
    build: { outDir: 'out/main' }
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload can require nothing but 'electron': bundle zod and the contract in.
      externalizeDeps: { exclude: ['zod'] },
      rollupOptions: { output: { format: 'cjs', inlineDynamicImports: true } }
    }
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    build: { outDir: resolve(__dirname, 'out/renderer') },
    plugins: [react()]
  }
})
