import { defineConfig, devices } from '@playwright/test'
import { chromiumLaunchOptions } from './test/e2e/harness/chromium'

const reportDir = process.env.KEYDESK_REPORT_DIR

export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results/e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: reportDir ? [['list'], ['json', { outputFile: `${reportDir}/playwright.json` }]] : [['list']],
  use: {
    ...devices['Desktop Chrome'],
    viewport: { width: 1360, height: 840 },
    trace: 'retain-on-failure',
    launchOptions: chromiumLaunchOptions()
  },
  projects: [{ name: 'chromium' }]
})
