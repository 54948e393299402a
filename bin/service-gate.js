#!/usr/bin/env node
// The CLI ships bundled (lib/cli/, built by `npm run build`; lib/shells/cli/ is the same code
// unbundled) as one CommonJS script, index.cjs, with V8's compiled form of it beside it,
// index.cjs.v8cache, so that start-up neither parses nor compiles 750 KB of JavaScript: most of
// what `check` took beyond Node's own start-up. The cache holds the bytecode of every function
// a `check` ran (scripts/bundle.js writes it after one run) and fits one V8 version only.
// CommonJS (bin/package.json): an ES module entry starts Node's ES module loader first, a few
// milliseconds more.
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose, see above */
const { createHash } = require('node:crypto');
const { readFileSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { dirname, join } = require('node:path');
const { Script } = require('node:vm');

const file = join(__dirname, '..', 'lib', 'cli', 'index.cjs');
const cacheFile = `${file}.v8cache`;
const writing = process.env.SERVICE_GATE_WRITE_CODE_CACHE === '1';
start(readFileSync(file));

function start(bytes) {
  // V8 checks a cache against the source's length only; the header also names the V8 version
  // and the source's hash, so that a stale or foreign cache is never run in place of the source.
  const header = `${process.versions.v8} ${createHash('sha1').update(bytes).digest('hex')}\n`;
  const cache = writing ? undefined : readCache(header);
  if (cache === undefined && !writing && typeof Module.enableCompileCache === 'function') {
    // No cache for this V8 (another Node than the build's): Node 22.1+ keeps one of its own,
    // in the temporary directory, from the second run on.
    Module.enableCompileCache();
    require(file);
    return;
  }
  const script = new Script(Module.wrap(bytes.toString('utf8')), {
    filename: file,
    cachedData: cache,
  });
  // A module like any other, so that the chunks loaded later (audit, drift, schema) find it in
  // require's cache rather than running the CLI a second time.
  const bundle = new Module(file);
  bundle.filename = file;
  const requireFromBundle = Module.createRequire(file);
  requireFromBundle.cache[file] = bundle;
  if (writing)
    process.once('exit', () =>
      writeFileSync(cacheFile, Buffer.concat([Buffer.from(header), script.createCachedData()])),
    );
  script.runInThisContext()(bundle.exports, requireFromBundle, bundle, file, dirname(file));
  bundle.loaded = true;
}

function readCache(header) {
  let data;
  try {
    data = readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  return data.subarray(0, header.length).toString('latin1') === header
    ? data.subarray(header.length)
    : undefined;
}
