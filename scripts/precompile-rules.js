// Writes OUT_DIR/rules.compiled.json: the bundled packs validated and their CEL parsed, so
// start-up skips YAML parsing and the CEL parser. Runs after tsc (it uses lib/).
// Usage: node scripts/precompile-rules.js OUT_DIR
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { precompileBundledPacks } from '../lib/run/bundled-packs.js';

const out = resolve(process.argv[2] ?? 'lib', 'rules.compiled.json');
writeFileSync(out, JSON.stringify(precompileBundledPacks()));
