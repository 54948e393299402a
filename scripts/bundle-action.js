// Bundles the Action (lib/shells/action/index.js, built by tsc) into one file with its
// licences, and copies the rule packs (and their precompiled form) beside it. Usage: node scripts/bundle-action.js OUT_DIR
import { cpSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const out = resolve(process.argv[2] ?? 'dist');
rmSync(out, { recursive: true, force: true });
execFileSync(
  process.execPath,
  [
    'node_modules/@vercel/ncc/dist/ncc/cli.js',
    'build',
    'lib/shells/action/index.js',
    '-o',
    out,
    '--minify',
    '--license',
    'licenses.txt',
    '--quiet',
  ],
  { stdio: 'inherit' },
);
cpSync('rules', resolve(out, 'rules'), { recursive: true });
cpSync('lib/rules.compiled.json', resolve(out, 'rules.compiled.json'));
