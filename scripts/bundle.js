// Bundles a shell (built by tsc into lib/) with its dependencies and their licences, with the
// rule packs and their precompiled form beside it.
// Usage: node scripts/bundle.js action dist   |   node scripts/bundle.js cli lib/cli
//
// Rollup rather than ncc: it tree-shakes ES modules (zod documents that rollup drops what a
// program does not use), so the Action's bundle is about half ncc's size and starts faster.
// `npm run bench` reports both figures.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import commonjs from '@rollup/plugin-commonjs';
import json from '@rollup/plugin-json';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { rollup } from 'rollup';
import license from 'rollup-plugin-license';

const [shell, outArg] = process.argv.slice(2);
const entries = { action: 'lib/shells/action/index.js', cli: 'lib/shells/cli/index.js' };
if (!entries[shell] || !outArg) throw new Error('usage: node scripts/bundle.js action|cli OUT_DIR');
const out = resolve(outArg);
rmSync(out, { recursive: true, force: true });

// @actions/core reaches undici (an HTTP client of 400 KB) only to fetch OIDC tokens, which we
// never ask for. Declaring these modules free of side effects lets rollup drop them when no
// export of theirs is used; if one ever is, rollup keeps it and nothing breaks.
const UNUSED_UNLESS_IMPORTED = /node_modules\/(undici|@actions\/http-client|tunnel)\//;

// yaml's Node entry is CommonJS and reads process.env.LOG_TOKENS for every token it parses (a
// debug hook; an environment read costs a call into C++). Its ES module entry is the same parser
// without the hook, and rollup can tree-shake it.
const yamlAsEsm = {
  name: 'yaml-esm',
  resolveId(source) {
    return source === 'yaml' ? resolve('node_modules/yaml/browser/index.js') : null;
  },
};

const bundle = await rollup({
  input: entries[shell],
  preserveEntrySignatures: shell === 'cli' ? 'allow-extension' : 'strict',
  treeshake: {
    moduleSideEffects: (id, external) => external || !UNUSED_UNLESS_IMPORTED.test(id),
  },
  plugins: [
    yamlAsEsm,
    nodeResolve({ preferBuiltins: true, exportConditions: ['node'] }),
    commonjs(),
    json(),
    // BUNDLE_UNMINIFIED=1 keeps names readable, for CPU profiles of start-up (see the README).
    // The CLI's bundle is ASCII so that V8 holds its source as one byte a character.
    ...(process.env.BUNDLE_UNMINIFIED
      ? []
      : [terser(shell === 'cli' ? { format: { ascii_only: true } } : { module: true })]),
    license({
      thirdParty: {
        includePrivate: false,
        output: { file: resolve(out, 'licenses.txt') },
      },
    }),
  ],
  onwarn(warning, warn) {
    // Dependencies' own circular imports and `this` at module level are theirs, and harmless.
    if (['CIRCULAR_DEPENDENCY', 'THIS_IS_UNDEFINED', 'INVALID_ANNOTATION'].includes(warning.code))
      return;
    warn(warning);
  },
});
// The CLI is CommonJS: bin/service-gate.js compiles it with V8's code cache, which Node keeps
// for ES modules only from Node 22 (module.enableCompileCache) and only in a folder of its own.
// Its entry chunk holds everything `check` runs, so that one cache covers it.
await bundle.write({
  dir: out,
  format: shell === 'cli' ? 'cjs' : 'es',
  entryFileNames: shell === 'cli' ? 'index.cjs' : 'index.js',
  chunkFileNames: shell === 'cli' ? '[name].cjs' : '[name].js',
  // The Action is one file, as actions expect; the CLI keeps audit/merge/drift and the GitHub
  // client in chunks that `check` never loads.
  inlineDynamicImports: shell === 'action',
});
await bundle.close();

// One `check` of the live example, after which bin/service-gate.js writes V8's code cache of the
// bundle: the bytecode of every function the check ran, beside lib/cli/index.cjs. Without it
// (a bundle built elsewhere, for a profile; the App's image, which copies no bin/) the CLI
// still runs, compiling as it goes.
if (shell === 'cli' && out === resolve('lib/cli') && existsSync('bin/service-gate.js')) {
  const run = spawnSync(
    process.execPath,
    ['bin/service-gate.js', 'check', 'examples/live-renew-passport', '--format', 'json'],
    { env: { ...process.env, SERVICE_GATE_WRITE_CODE_CACHE: '1' }, encoding: 'utf8' },
  );
  // Exit 1 is a failing report, still a full run (the example may age into failing).
  if (run.status > 1 || !existsSync(resolve(out, 'index.cjs.v8cache')))
    throw new Error(`writing the CLI's code cache failed (exit ${run.status}): ${run.stderr}`);
} else if (shell === 'action') {
  // The Action's bundle is an ES module wherever it is copied to.
  writeFileSync(resolve(out, 'package.json'), '{\n  "type": "module"\n}\n');
}

// The Action ships on its own; the CLI bundle finds ../../rules from lib/cli/.
if (shell === 'action') {
  cpSync('rules', resolve(out, 'rules'), { recursive: true });
  cpSync('lib/rules.compiled.json', resolve(out, 'rules.compiled.json'));
}
