// Bundles a shell (built by tsc into lib/) into one file with its licences, with the rule packs
// and their precompiled form beside it.
// Usage: node scripts/bundle.js action dist   |   node scripts/bundle.js cli lib/cli
import { cpSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const [shell, outArg] = process.argv.slice(2);
const entries = { action: 'lib/shells/action/index.js', cli: 'lib/shells/cli/index.js' };
if (!entries[shell] || !outArg) throw new Error('usage: node scripts/bundle.js action|cli OUT_DIR');
const out = resolve(outArg);
rmSync(out, { recursive: true, force: true });
execFileSync(
  process.execPath,
  [
    'node_modules/@vercel/ncc/dist/ncc/cli.js',
    'build',
    entries[shell],
    '-o',
    out,
    '--minify',
    '--license',
    'licenses.txt',
    '--quiet',
  ],
  { stdio: 'inherit' },
);
// The Action ships on its own; the CLI bundle finds ../../rules from lib/cli/.
if (shell === 'action') {
  cpSync('rules', resolve(out, 'rules'), { recursive: true });
  cpSync('lib/rules.compiled.json', resolve(out, 'rules.compiled.json'));
}
