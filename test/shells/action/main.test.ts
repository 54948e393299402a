import { afterEach, describe, expect, it, vi } from 'vitest';
import * as core from '@actions/core';
import {
  annotate,
  ANNOTATIONS_PER_LEVEL,
  InputError,
  readInputs,
} from '../../../src/shells/action/main.js';
import type { Finding } from '../../../src/core/report.js';

vi.mock('@actions/core', async (original) => {
  const actual = await original<typeof import('@actions/core')>();
  return { ...actual, error: vi.fn(), warning: vi.fn(), notice: vi.fn() };
});

const finding = (level: Finding['level'], i: number): Finding => ({
  rule: `r.${i}`,
  title: `Rule ${i}`,
  level,
  standard: 's',
  point: 1,
  message: `message ${i}`,
  fix: 'fix it',
  guidance: 'https://example.gov.uk',
  file: 'service.yml',
  line: i + 1,
  column: 3,
  gate: false,
});

afterEach(() => {
  vi.clearAllMocks();
  for (const k of Object.keys(process.env)) if (k.startsWith('INPUT_')) delete process.env[k];
});

describe('annotate', () => {
  it('emits at most 10 annotations per level, on the finding line, and counts the rest', () => {
    const left = annotate([
      ...Array.from({ length: 13 }, (_, i) => finding('warning', i)),
      finding('failure', 99),
    ]);
    expect(core.warning).toHaveBeenCalledTimes(ANNOTATIONS_PER_LEVEL);
    expect(core.error).toHaveBeenCalledWith('message 99 Fix: fix it', {
      file: 'service.yml',
      startLine: 100,
      startColumn: 3,
      title: 'Rule 99 (r.99)',
    });
    expect(left).toBe(3);
  });

  it('shows waived findings as notices', () => {
    annotate([
      {
        ...finding('failure', 1),
        waived: { reason: 'r', approved_by: 'a', expires: '2027-01-01' },
      },
    ]);
    expect(core.error).not.toHaveBeenCalled();
    expect(core.notice).toHaveBeenCalledWith(
      expect.any(String),
      expect.objectContaining({ title: '[waived] Rule 1 (r.1)' }),
    );
  });
});

describe('readInputs', () => {
  it('applies defaults', () => {
    expect(readInputs()).toEqual({
      path: 'service.yml',
      config: '.github/service-gate.yml',
      packs: [],
      failOn: 'failure',
      comment: false,
      sarifFile: undefined,
      token: '',
    });
  });

  it('names the input and its allowed values when one is invalid', () => {
    process.env['INPUT_FAIL-ON'] = 'always';
    expect(() => readInputs()).toThrow(
      new InputError("Input 'fail-on' must be one of failure, warning, never; got 'always'."),
    );
    delete process.env['INPUT_FAIL-ON'];
    process.env.INPUT_COMMENT = 'yes';
    expect(() => readInputs()).toThrow("Input 'comment' must be true or false; got 'yes'.");
    delete process.env.INPUT_COMMENT;
    process.env.INPUT_PACKS = 'gds-service-standard, US_PLAYBOOK';
    expect(() => readInputs()).toThrow("Input 'packs' lists 'US_PLAYBOOK'");
    delete process.env.INPUT_PACKS;
    process.env.INPUT_PATH = '../other-repo/service.yml';
    expect(() => readInputs()).toThrow("Input 'path' must be a path inside the repository");
    process.env.INPUT_PATH = 'services/api/service.yml';
    expect(readInputs().path).toBe('services/api/service.yml');
    delete process.env.INPUT_PATH;
    process.env.INPUT_CONFIG = '/etc/service-gate.yml';
    expect(() => readInputs()).toThrow("Input 'config' must be a path inside the repository");
    delete process.env.INPUT_CONFIG;
  });
});
