// Prints the CI closing line from Vitest's JSON reports (one per pass), and exits non-zero
// unless every test passed. Nothing run at all counts as a failure: "ran nothing" is not green.
import { existsSync, readFileSync } from 'node:fs';

const [vitestStatus, ...files] = process.argv.slice(2);
let passed = 0;
let failed = 0;
for (const path of files) {
  if (!existsSync(path)) {
    console.log(`no test report at ${path}`);
    failed += 1;
    continue;
  }
  const report = JSON.parse(readFileSync(path, 'utf8'));
  // Each pass must have run something: a pass whose filter matched nothing hides a whole suite.
  if ((report.numTotalTests ?? 0) === 0) {
    console.log(`the pass reported in ${path} ran no tests`);
    failed += 1;
  }
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  // A file that failed to load or crashed in a hook has no failed test of its own: count it once.
  for (const file of report.testResults ?? []) {
    const failedInFile = (file.assertionResults ?? []).filter((a) => a.status === 'failed').length;
    if (file.status === 'failed' && failedInFile === 0) failed += 1;
  }
  const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  if (skipped > 0) {
    console.log(`skipped or todo tests are not allowed: ${skipped}`);
    failed += skipped;
  }
}
if (passed === 0 && failed === 0) failed = 1;
if (failed === 0 && vitestStatus !== '0') failed = 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
