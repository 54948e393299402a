import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { groupDigits } from '../../../src/core/render/labels.js';
import { GITHUB_LIMITS, utf8Bytes } from '../../../src/core/render/limits.js';
import {
  COMMENT_BYTES,
  type MarkdownOptions,
  renderMarkdown,
} from '../../../src/core/render/markdown.js';
import { renderText } from '../../../src/core/render/text.js';
import type { Report } from '../../../src/core/report.js';
import { fitSummary } from '../../../src/github/check-run.js';
import { COMMENT_MARKER } from '../../../src/github/pr-comment.js';
import { evaluateYaml } from '../../helpers/evaluate.js';
import { HOSTILE_STRINGS } from './hostile-strings.js';

const EXAMPLES = new URL('../../../examples/', import.meta.url).pathname;
const md = new MarkdownIt({ html: true });
const tags = (html: string) => html.match(/<\/?[a-z][a-z0-9]*/gi) ?? [];

function example(name: string): Report {
  const dir = join(EXAMPLES, name);
  const files: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const entry of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path);
      else files[path] = readFileSync(join(dir, path), 'utf8');
    }
  };
  walk('');
  return evaluateYaml(files['service.yml']!, { files });
}

const examples = readdirSync(EXAMPLES).filter((d) => existsSync(join(EXAMPLES, d, 'service.yml')));

describe('the PR comment and check summary lead with what blocks', () => {
  it.each(examples)('%s: the first failure is within the first 25 lines', (name) => {
    const report = example(name);
    for (const body of [
      renderMarkdown(report, { hideNotices: true }),
      renderCheckSummary(report, {}),
    ]) {
      const lines = body.split('\n');
      expect(lines[0]).toMatch(/^### .* Service Standard: /);
      const failure = lines.findIndex((l) => l.startsWith('- ❌'));
      if (report.findings.some((f) => f.level === 'failure' && !f.waived))
        expect(failure).toBeGreaterThanOrEqual(0);
      expect(failure).toBeLessThan(25);
      // The per-point table is folded away below the findings.
      const table = lines.findIndex((l) => l.startsWith('| Standard |'));
      const details = lines.findIndex((l) => l.startsWith('<details>'));
      if (table >= 0) expect(details).toBeLessThan(table);
      const warning = lines.findIndex((l) => l.startsWith('- ⚠️'));
      if (warning >= 0 && failure >= 0) expect(failure).toBeLessThan(warning);
      if (warning >= 0) expect(warning).toBeLessThan(details);
    }
  });

  it('says what blocks in plain counts, pluralised', () => {
    const body = renderMarkdown(example('private-beta-childminder-register'));
    expect(body).toMatch(/no failures, 1 warning and (no|\d+) notices?\./);
    expect(body).not.toMatch(/\b1 warnings\b|\b0 failing\b/);
  });

  it('groups the digits of counts as en-GB does, without asking Intl', () => {
    for (const n of [0, 1, 12, 999, 1_000, 12_345, 123_456, 1_234_567, -4_321, 2 ** 53 - 1, 1.5])
      expect(groupDigits(n)).toBe(n.toLocaleString('en-GB'));
  });

  it('groups repeated findings of one rule into one entry listing each item', () => {
    const report = example('failing-claim-support');
    const kpis = report.findings.filter((f) => f.rule === 'gds.10.four-kpis');
    expect(kpis.length).toBeGreaterThan(1);
    const body = renderMarkdown(report);
    const entries = body
      .split('\n')
      .filter((l) => l.startsWith('- ') && l.includes('four mandatory KPIs'));
    expect(entries).toEqual([expect.stringContaining(`(${kpis.length})`)]);
    for (const f of kpis) expect(body).toContain(f.message);
  });
});

describe('hostile text cannot change what the markdown says', () => {
  const base = example('failing-claim-support');
  const withText = (text: string): Report => ({
    ...base,
    service: { name: text, phase: base.service!.phase },
    findings: base.findings.map((f, i) => ({
      ...f,
      message: `${f.message} ${text}`,
      fix: `${f.fix} ${text}`,
      file: i % 2 ? `${text}/service.yml` : f.file,
      ...(i === 0 ? { waived: { reason: text, approved_by: text, expires: '2027-01-01' } } : {}),
    })),
    approvals: { required: [{ kind: 'spend', reason: text }], approvers: null, approvedBy: [] },
  });
  const benign = withText('Plain words');

  it.each(Object.entries(HOSTILE_STRINGS))('%s: the same elements as plain words', (_n, text) => {
    for (const options of [{}, { blobUrl: 'https://github.com/o/r/blob/abc/' }]) {
      const html = md.render(renderMarkdown(withText(text), options));
      expect(tags(html)).toEqual(tags(md.render(renderMarkdown(benign, options))));
      for (const href of html.match(/href="[^"]*"/g) ?? [])
        expect(href).toMatch(
          /^href="https:\/\/(github\.com\/o\/r\/blob\/abc\/|www\.gov\.uk|[a-z.-]+\.gov\.uk)/,
        );
    }
  });

  it.each(Object.entries(HOSTILE_STRINGS))('%s: terminal text keeps its lines', (_n, text) => {
    const out = renderText(withText(text));
    expect(out.split('\n')).toHaveLength(renderText(benign).split('\n').length);
    // eslint-disable-next-line no-control-regex
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    for (const line of out.split('\n')) expect(line.trimStart()).not.toMatch(/^(::|##\[)/);
  });
});

const HOSTILE_MANIFEST = readFileSync(
  new URL('../../fixtures/output/long-values.yml', import.meta.url),
  'utf8',
);

/** As the App writes it: the report, then the policy sources note, fitted together. */
function renderCheckSummary(report: Report, options: MarkdownOptions, note = ''): string {
  return (
    renderMarkdown(report, {
      ...options,
      maxBytes: GITHUB_LIMITS.checkSummary - utf8Bytes(note),
    }) + note
  );
}

/** A report of many rules' failures, each message 1,000 characters of emoji and markup. */
function overflowing(): Report {
  const base = example('failing-claim-support');
  const f = base.findings.find((x) => x.level === 'failure')!;
  return {
    ...base,
    findings: Array.from({ length: 400 }, (_, i) => ({
      ...f,
      rule: `test.rule-${i}`,
      message: `${i} ${'🛂 <b>x</b> '.repeat(100)}`,
    })),
  };
}

function bodies(report: Report) {
  const link = 'https://github.com/o/r/runs/1';
  return {
    summary: fitSummary(
      renderCheckSummary(report, { fullReportUrl: link }, '\n<sub>policy note 🛂</sub>\n'),
      0,
    ),
    comment: `${COMMENT_MARKER}\n${renderMarkdown(report, {
      hideNotices: true,
      maxBytes: COMMENT_BYTES,
      fullReportUrl: link,
    })}`,
  };
}

describe('bodies fit GitHub’s limits in UTF-8 bytes', () => {
  it('the hostile 100,000-character manifest yields a summary and comment within them', () => {
    expect(HOSTILE_MANIFEST.length).toBeGreaterThan(90_000);
    const report = evaluateYaml(HOSTILE_MANIFEST);
    expect(report.findings.length).toBeGreaterThan(20);
    const { summary, comment } = bodies(report);
    expect(utf8Bytes(summary)).toBeLessThanOrEqual(GITHUB_LIMITS.checkSummary);
    expect(utf8Bytes(comment)).toBeLessThanOrEqual(GITHUB_LIMITS.comment);
    expect(comment.split('\n')[0]).toBe(COMMENT_MARKER);
    expect(tags(md.render(comment))).not.toContain('<img');
    expect(comment.split('\n').findIndex((l) => l.startsWith('- ❌'))).toBeLessThan(25);
  });

  it('leaves findings out when they do not fit, says how many, and links to the check run', () => {
    const report = overflowing();
    expect(utf8Bytes(renderMarkdown(report))).toBeGreaterThan(4 * GITHUB_LIMITS.comment);
    const { summary, comment } = bodies(report);
    for (const [body, limit] of [
      [summary, GITHUB_LIMITS.checkSummary],
      [comment, GITHUB_LIMITS.comment],
    ] as const) {
      // Within the limit, and not far below it: the room is used.
      expect(utf8Bytes(body)).toBeLessThanOrEqual(limit);
      expect(utf8Bytes(body)).toBeGreaterThan(limit - 5_000);
      const shown = body.split('\n').filter((l) => l.startsWith('- ❌')).length;
      const left = Number(/\*\*([\d,]+) findings left out\*\*/.exec(body)![1]!.replace(/,/g, ''));
      expect(shown + left).toBe(400);
      expect(body).toContain('[the check run](https://github.com/o/r/runs/1)');
      expect(body.match(/<details>/g)?.length ?? 0).toBe(body.match(/<\/details>/g)?.length ?? 0);
    }
  });

  it('counts bytes, not characters: a summary of emoji is cut to 65,535 bytes', () => {
    const emoji = `${'✅ 🛂 Passed\n'.repeat(8_000)}`;
    expect(emoji.length).toBeLessThan(GITHUB_LIMITS.checkSummary * 1.6);
    expect(utf8Bytes(emoji)).toBeGreaterThan(GITHUB_LIMITS.checkSummary);
    const fitted = fitSummary(emoji, 3);
    expect(utf8Bytes(fitted)).toBeLessThanOrEqual(GITHUB_LIMITS.checkSummary);
    expect(fitted).toMatch(/too long to show in full/);
    expect(fitted).toMatch(/3 further findings are not annotated/);
  });
});
