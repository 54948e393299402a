import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../../src/core/manifest/load.js';
import { GENERATED, VALID } from '../../fixtures/hostile-corpus.js';

/**
 * service.yml comes from pull requests: every input here must produce diagnostics with a
 * position and a hint, never an exception, and finish within a second (the test timeout).
 */

const FILES = readdirSync(new URL('../../fixtures/hostile/', import.meta.url), {
  withFileTypes: true,
})
  .filter((e) => e.isFile())
  .map(({ name: f }) => [
    `file ${f}`,
    readFileSync(new URL(`../../fixtures/hostile/${f}`, import.meta.url), 'utf8'),
  ]);

describe('hostile service.yml inputs', () => {
  it.each([...Object.entries(GENERATED), ...FILES])(
    '%s: diagnostics, no crash',
    { timeout: 1000 },
    (name, text) => {
      const result = parseManifest(text);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty('polluted');
      if (name === 'BOM then valid') {
        expect(result.ok).toBe(true);
        return;
      }
      expect(result.ok).toBe(false);
      if (result.ok) return;
      for (const d of result.diagnostics) {
        expect(d.file).toBe('service.yml');
        expect(d.line).toBeGreaterThanOrEqual(1);
        expect(d.column).toBeGreaterThanOrEqual(1);
        expect(d.message.length).toBeGreaterThan(5);
        expect(d.hint.length).toBeGreaterThan(5);
      }
    },
  );

  it('survives 2,000 random mutations of a valid file without throwing', () => {
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const alphabet = ' \n\t:-[]{}&*!|>"\'#%@`,?\u0000';
    let valid = 0;
    for (let i = 0; i < 2000; i++) {
      const chars = [...VALID];
      for (let j = 0; j < 1 + Math.floor(random() * 4); j++) {
        const at = Math.floor(random() * chars.length);
        const op = random();
        if (op < 0.4) chars.splice(at, 1);
        else if (op < 0.8) chars.splice(at, 0, alphabet[Math.floor(random() * alphabet.length)]!);
        else chars[at] = alphabet[Math.floor(random() * alphabet.length)]!;
      }
      const result = parseManifest(chars.join(''));
      if (result.ok) valid++;
      else expect(result.diagnostics.length).toBeGreaterThan(0);
    }
    // Some mutations stay valid (e.g. a deleted space in a comment); most must not.
    expect(valid).toBeLessThan(2000);
  });
});

/** Each class of input the README promises to reject, several ways, with the code it must get. */
const REJECTED: [string, string, string][] = [
  [
    'yaml/custom-tag',
    'js function',
    `name: !!js/function "function(){ return 1 }"\nphase: alpha\n`,
  ],
  ['yaml/custom-tag', 'python apply', `name: x\nphase: !!python/object/apply:os.system ["id"]\n`],
  ['yaml/custom-tag', 'python key', `name: x\n!!python/name:os.system : 1\nphase: alpha\n`],
  ['yaml/custom-tag', 'local tag', `name: !secret x\nphase: alpha\n`],
  ['yaml/custom-tag', 'verbatim tag', `name: !<tag:example.com,2026:x> y\nphase: alpha\n`],
  ['yaml/custom-tag', 'binary', `name: x\nphase: alpha\ndescription: !!binary aGVsbG8=\n`],
  [
    'yaml/custom-tag',
    'TAG directive',
    `%TAG !e! tag:example.com,2026:\n---\nname: !e!x y\nphase: alpha\n`,
  ],
  [
    'yaml/custom-tag',
    'tagged list item',
    `name: x\nphase: alpha\nresearch:\n  - !!set {a: null}\n`,
  ],
  ['yaml/control-character', 'escape \\e', `name: "\\e[31mPassed"\nphase: alpha\n`],
  ['yaml/control-character', 'escape \\a', `name: "bell\\a"\nphase: alpha\n`],
  ['yaml/control-character', 'escape \\0', `name: "nul\\0"\nphase: alpha\n`],
  [
    'yaml/control-character',
    'escape \\x1b',
    `name: x\nphase: alpha\ndescription: "\\x1b]8;;https://evil\\x07"\n`,
  ],
  ['yaml/control-character', 'escape \\r', `name: "ok\\r::error::owned"\nphase: alpha\n`],
  ['yaml/control-character', 'C1 escape \\x9b', `name: "\\x9b31m"\nphase: alpha\n`],
  ['yaml/control-character', 'C1 escape \\u0085', `name: "a\\u0085b"\nphase: alpha\n`],
  ['yaml/control-character', 'raw C1', `name: a\u009bb\nphase: alpha\n`],
  ['yaml/control-character', 'escape in a key', `name: x\nphase: alpha\nowner: {"\\e": 1}\n`],
];

describe('rejected classes', () => {
  it.each(REJECTED)('%s: %s', (code, _name, text) => {
    const result = parseManifest(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const d = result.diagnostics[0]!;
    expect(d.code).toBe(code);
    expect(d.line).toBeGreaterThanOrEqual(1);
    expect(d.column).toBeGreaterThanOrEqual(1);
    // The message names the problem without echoing control characters back.
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    expect(d.message).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });

  it('keeps tab and newline escapes, and the core schema tags', () => {
    const result = parseManifest(
      `name: !!str "Renew\\tyour passport"\nphase: alpha\ndescription: "line one\\nline two"\n`,
    );
    expect(result.ok).toBe(true);
  });
});
