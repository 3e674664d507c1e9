// Prints the CI closing line from Vitest's JSON report, and exits non-zero unless every
// test passed. A missing or empty report counts as a failure: "ran nothing" is not green.
import { readFileSync } from 'node:fs';

const [file, vitestStatus] = process.argv.slice(2);
let passed = 0;
let failed = 0;
try {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed = report.numPassedTests ?? 0;
  failed = report.numFailedTests ?? 0;
  // A file that failed to load or crashed in a hook has no failed test of its own: count it once.
  for (const file of report.testResults ?? []) {
    const failedInFile = (file.assertionResults ?? []).filter((a) => a.status === 'failed').length;
    if (file.status === 'failed' && failedInFile === 0) failed += 1;
  }
  if ((report.numPendingTests ?? 0) + (report.numTodoTests ?? 0) > 0) {
    console.log(`skipped or todo tests are not allowed: ${report.numPendingTests + report.numTodoTests}`);
    failed += report.numPendingTests + report.numTodoTests;
  }
} catch (err) {
  console.log(`no test report at ${file}: ${err.message}`);
  failed += 1;
}
if (passed === 0 && failed === 0) failed = 1;
if (failed === 0 && vitestStatus !== '0') failed = 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
