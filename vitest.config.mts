import { defineConfig } from 'vitest/config'

// KEYDESK_REPORT_DIR (set by .ci/run) adds JSON reports so CI can sum every suite's counts.
const reportDir = process.env.KEYDESK_REPORT_DIR
const reporters = (name: string) => (reportDir ? { reporters: ['default', 'json'], outputFile: { json: `${reportDir}/vitest-${name}.json` } } : {})

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          // Component tests (.test.tsx) run here too, each in jsdom by its `@vitest-environment` comment.
          include: ['test/unit/**/*.test.{ts,tsx}'],
          environment: 'node',
          // jsdom component tests on a busy 2-core machine: 5 s was met only when nothing else ran.
          testTimeout: 15_000
        }
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 30_000
        }
      }
    ],
    ...reporters(String(process.pid))
  }
})
