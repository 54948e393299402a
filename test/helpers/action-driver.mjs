// Runs the committed Action bundle once per repository, in one Node process: each import of
// dist/index.js (with its own query) is a fresh copy of the Action, and its top-level await
// returns when the run is done. Usage: node action-driver.mjs CASES.json OUT.json
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [casesFile, outFile] = process.argv.slice(2);
const cases = JSON.parse(readFileSync(casesFile, 'utf8'));
const bundle = pathToFileURL(resolve('dist/index.js')).href;
const results = {};
for (const [i, c] of cases.entries()) {
  const temp = join(c.temp, String(i));
  mkdirSync(temp, { recursive: true });
  const summary = join(temp, 'summary.md');
  const output = join(temp, 'output');
  writeFileSync(summary, '');
  writeFileSync(output, '');
  Object.assign(process.env, {
    GITHUB_REPOSITORY: c.repository,
    GITHUB_WORKSPACE: c.workspace,
    RUNNER_TEMP: temp,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_OUTPUT: output,
  });
  await import(`${bundle}?run=${i}`);
  let report = null;
  try {
    report = JSON.parse(readFileSync(join(temp, 'service-gate-report.json'), 'utf8'));
  } catch {
    // No report: the run failed before judging; the test says which.
  }
  results[c.name] = { report, failed: process.exitCode === 1 };
  process.exitCode = 0;
}
writeFileSync(outFile, JSON.stringify(results));
