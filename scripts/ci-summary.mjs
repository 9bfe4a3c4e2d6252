#!/usr/bin/env node
// Sums the JSON reports of every suite (vitest projects, Playwright) into "N passed, N failed, N skipped".
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const dir = process.argv[2]
let passed = 0
let failed = 0
let skipped = 0
for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
  const report = JSON.parse(readFileSync(join(dir, file), 'utf8'))
  if (file.startsWith('vitest')) {
    passed += report.numPassedTests ?? 0
    failed += report.numFailedTests ?? 0
    skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0)
  } else if (file.startsWith('playwright')) {
    const s = report.stats ?? {}
    passed += (s.expected ?? 0) + (s.flaky ?? 0)
    failed += s.unexpected ?? 0
    skipped += s.skipped ?? 0
  }
}
process.stdout.write(`${passed} passed, ${failed} failed, ${skipped} skipped\n`)
