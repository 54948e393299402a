import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../../src/core/manifest/load.js';

function diagnostics(text: string) {
  const r = parseManifest(text, 'service.yml');
  if (r.ok) throw new Error('expected diagnostics');
  return r.diagnostics;
}

describe('parseManifest', () => {
  it('accepts a minimal manifest and applies defaults', () => {
    const r = parseManifest('name: X\nphase: alpha\nspend: {whole_life_cost: 10}\n');
    expect(r.ok && r.manifest.spend?.currency).toBe('GBP');
  });

  it('names the line and column of an unknown key and suggests the right one', () => {
    const d = diagnostics(
      'name: X\nphase: alpha\nresearch:\n  - date: 2026-01-01\n    method: interviews\n    particpants: 5\n',
    ).find((x) => x.code === 'schema/unknown-key');
    expect(d).toMatchObject({ line: 6, column: 5, code: 'schema/unknown-key' });
    expect(d!.hint).toBe("Did you mean 'participants'?");
  });

  it('suggests the closest phase for a misspelt value', () => {
    const [d] = diagnostics('name: X\nphase: pubic-beta\n');
    expect(d).toMatchObject({ line: 2, column: 8, code: 'schema/invalid-value' });
    expect(d!.hint).toContain("'public-beta'");
  });

  it('suggests a platform id for the category and mentions {own: reason}', () => {
    const [d] = diagnostics('name: X\nphase: alpha\nplatforms:\n  payments: gov-pay\n');
    expect(d!.line).toBe(4);
    expect(d!.hint).toContain("'govuk-pay'");
    expect(d!.hint).toContain('own');
  });

  it('reads a platform integrated in another repository, and explains a wrong one', () => {
    const platforms = (identity: string) =>
      parseManifest(`name: X\nphase: alpha\nplatforms:\n  identity: ${identity}\n`, 'service.yml');
    const ok = platforms('{id: govuk-one-login, integrated_in: hmpo/passport-identity}');
    expect(ok.ok && ok.manifest.platforms?.identity).toEqual({
      id: 'govuk-one-login',
      integrated_in: 'hmpo/passport-identity',
    });
    const misspelt = diagnostics(
      'name: X\nphase: alpha\nplatforms:\n  identity: {id: gov-one-login, integrated_in: hmpo/x}\n',
    );
    expect(misspelt).toEqual([expect.objectContaining({ code: 'schema/invalid-value', line: 4 })]);
    expect(misspelt[0]!.message).toContain("'platforms.identity.id'");
    expect(misspelt[0]!.hint).toBe("Did you mean 'govuk-one-login'?");
    const [missing] = diagnostics(
      'name: X\nphase: alpha\nplatforms:\n  identity: {id: govuk-one-login}\n',
    );
    expect(missing).toMatchObject({ code: 'schema/missing-key' });
    expect(missing!.message).toContain("'platforms.identity.integrated_in'");
    const [notRepo] = diagnostics(
      'name: X\nphase: alpha\nplatforms:\n  identity: {id: govuk-one-login, integrated_in: https://github.com/hmpo/x}\n',
    );
    expect(notRepo!.message).toContain('owner/name');
    const [unknown] = diagnostics(
      'name: X\nphase: alpha\nplatforms:\n  identity: {id: govuk-one-login, integrated_in: hmpo/x, repo: y}\n',
    );
    expect(unknown).toMatchObject({ code: 'schema/unknown-key' });
  });

  it('reports a missing required key at its parent', () => {
    const [d] = diagnostics('phase: alpha\n');
    expect(d).toMatchObject({ code: 'schema/missing-key', line: 1 });
    expect(d!.message).toContain("'name'");
  });

  it('explains a number written with a currency sign', () => {
    const [d] = diagnostics('name: X\nphase: alpha\nspend:\n  whole_life_cost: "£3m"\n');
    expect(d).toMatchObject({ code: 'schema/wrong-type', line: 4 });
    expect(d!.hint).toMatch(/plain number/);
  });

  it('rejects impossible dates', () => {
    const [d] = diagnostics('name: X\nphase: alpha\naccessibility:\n  last_audit: 2026-02-30\n');
    expect(d!.line).toBe(4);
    expect(d!.message).toMatch(/calendar date/);
  });

  it('reports every problem, not only the first', () => {
    expect(
      diagnostics('name: X\nphase: alfa\nowner: {organisaton: HMRC}\n').length,
    ).toBeGreaterThanOrEqual(2);
  });

  it('rejects duplicate keys with their position', () => {
    const [d] = diagnostics('name: X\nphase: alpha\nname: Y\n');
    expect(d).toMatchObject({ code: 'yaml/duplicate-key', line: 3 });
  });
});
