import MarkdownIt from 'markdown-it';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type AuditResults,
  buildPortfolio,
  mergeResults,
  PartialMergeError,
  repositoryResult,
} from '../../../src/core/audit/portfolio.js';
import { parseManifest } from '../../../src/core/manifest/load.js';
import { effectivePolicy } from '../../../src/core/policy/effective.js';
import { renderPortfolioCsv } from '../../../src/core/render/portfolio/csv.js';
import { renderPortfolioHtml } from '../../../src/core/render/portfolio/html.js';
import { renderPortfolioMarkdown } from '../../../src/core/render/portfolio/markdown.js';
import { auditLocal } from '../../../src/run/audit.js';
import { evaluateYaml } from '../../helpers/evaluate.js';
import { HOSTILE_STRINGS, parseCsv } from './hostile-strings.js';

const EXAMPLES = new URL('../../../examples/', import.meta.url).pathname;
const NOW = '2026-11-27';
const build = (results: AuditResults, previous?: AuditResults) =>
  buildPortfolio(results, { now: NOW, thresholds: effectivePolicy().thresholds, previous });
const tags = (html: string) => html.match(/<\/?[a-z][a-z0-9]*/gi) ?? [];
const md = new MarkdownIt({ html: true });

let examples: AuditResults;
beforeAll(async () => {
  examples = await auditLocal(EXAMPLES, {
    central: { layers: [], customPacks: [], diagnostics: [] },
    now: NOW,
  });
});

/** The per-service table's rows as [service, status] from each format. */
function serviceRows(results: AuditResults) {
  const p = build(results);
  const markdown = renderPortfolioMarkdown(p);
  const section = markdown.slice(
    markdown.indexOf('## Services\n'),
    markdown.indexOf('\n## ', markdown.indexOf('## Services\n') + 5),
  );
  const mdRows = section
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| Service |') && !l.startsWith('| -'))
    .map((l) => l.split(' | ').map((c) => c.replace(/^\| /, '')));
  const html = renderPortfolioHtml(p);
  const table = html.slice(
    html.indexOf('<h2 id="services">'),
    html.indexOf('</table>', html.indexOf('<h2 id="services">')),
  );
  const htmlRows = [...table.matchAll(/<tr><th scope="row">([^<]*)<\/th><td>([^<]*)<\/td>/g)].map(
    (m) => [m[1], m[2]],
  );
  return { p, mdRows, htmlRows };
}

describe('the portfolio report', () => {
  it('lists every service with its status, in markdown and HTML, failing first', () => {
    const { p, mdRows, htmlRows } = serviceRows(examples);
    const evaluated = examples.repositories.filter((r) => r.status === 'evaluated');
    expect(p.services).toHaveLength(evaluated.length);
    const expected = evaluated.map((r) => [
      r.manifest!.name,
      {
        failure: 'Failing',
        success: 'Passing',
        action_required: 'Needs approval',
        neutral: 'Not evaluated',
      }[r.report!.conclusion],
    ]);
    expect(mdRows.map((r) => [r[0], r[1]]).sort()).toEqual([...expected].sort());
    expect(htmlRows.sort()).toEqual([...expected].sort());
    expect(mdRows[0]![1]).toBe('Failing');
  });

  it('leads with a headline: services failing, passing and needing approval', () => {
    const p = build(examples);
    const failing = examples.repositories.filter(
      (r) => r.report?.conclusion === 'failure' && r.status === 'evaluated',
    ).length;
    expect(p.headline.failing).toBe(failing);
    const markdown = renderPortfolioMarkdown(p);
    expect(markdown.split('\n')[2]).toBe(
      `**${failing} of ${p.totals.services} services failing, ${p.headline.passing} passing, ${p.headline['needs approval']} needing approval.**`,
    );
    expect(renderPortfolioHtml(p)).toContain(
      `<p class="headline">${failing} of ${p.totals.services} services failing`,
    );
  });

  it('names repositories with an invalid service.yml, and invents no organisation', () => {
    const broken = evaluateYaml('name: Broken\nphase: nowhere\n');
    const results: AuditResults = {
      ...examples,
      repositories: [...examples.repositories, repositoryResult('broken-repo', '', broken)],
    };
    const p = build(results);
    expect(p.invalid_manifest).toEqual(['broken-repo']);
    const markdown = renderPortfolioMarkdown(p);
    expect(markdown).toMatch(/\| broken-repo \| .*nowhere.* \|/);
    expect(renderPortfolioHtml(p)).toContain('<th scope="row">broken-repo</th>');
    for (const out of [markdown, renderPortfolioHtml(p), renderPortfolioCsv(results)])
      expect(out).not.toMatch(/\blocal\b(?! folders)/);
    expect(p.organisations).not.toContain('');
  });

  it('scales each bar to the denominator its row states', () => {
    const p = build(examples);
    const html = renderPortfolioHtml(p);
    const section = html.slice(
      html.indexOf('<h2 id="points">'),
      html.indexOf('</section>', html.indexOf('<h2 id="points">')),
    );
    const rows = [
      ...section.matchAll(
        /<tr><th scope="row">.*?<\/th><td>.*?<\/td><td class="num">(\d+) .*?width:(\d+)%.*?<td class="num">(\d+)<\/td><\/tr>/g,
      ),
    ];
    expect(rows.length).toBe(p.points.length);
    for (const [, met, width, checked] of rows)
      expect(Number(width)).toBe(Math.round((Number(met) / Number(checked)) * 100));
    // A point all of whose checked services meet it draws a full bar, however few were checked.
    expect(rows.some(([, met, width, checked]) => met === checked && width === '100')).toBe(true);
  });

  it('says what changed since the previous audit', () => {
    const previous: AuditResults = {
      ...examples,
      generated_at: '2026-10-01',
      repositories: examples.repositories
        .filter((r) => r.repository !== 'discovery-waste-permits')
        .map((r) =>
          r.repository === 'failing-claim-support'
            ? {
                ...r,
                report: { ...r.report!, conclusion: 'success' as const },
                manifest: { ...r.manifest!, phase: 'private-beta' as const },
              }
            : r,
        ),
    };
    const p = build(examples, previous);
    expect(p.trends).toMatchObject({
      since: '2026-10-01',
      started_failing: ['failing-claim-support'],
      stopped_failing: [],
      phase_changes: [
        { repository: 'failing-claim-support', from: 'private-beta', to: 'public-beta' },
      ],
      new_services: ['discovery-waste-permits'],
    });
    const markdown = renderPortfolioMarkdown(p);
    expect(markdown).toContain('## Changes since the last audit (2026-10-01)');
    expect(markdown).toContain('| failing-claim-support | Started failing |');
    expect(markdown).toContain(
      '| failing-claim-support | Moved from private-beta to public-beta |',
    );
  });

  it('refuses a merge that is missing shards, unless asked for a partial report that says so', () => {
    const shard = (i: number): AuditResults => ({
      ...examples,
      shard: `${i}/3`,
      repositories: examples.repositories.filter((_, n) => n % 3 === i - 1),
    });
    expect(() => mergeResults([shard(1), shard(2)])).toThrow(PartialMergeError);
    expect(() => mergeResults([shard(1), shard(2)])).toThrow(
      /shard 3\/3 is missing.*--allow-partial/,
    );
    expect(mergeResults([shard(1), shard(2), shard(3)]).missing_shards).toBeUndefined();
    const partial = mergeResults([shard(2)], { allowPartial: true });
    expect(partial.missing_shards).toEqual(['1/3', '3/3']);
    const markdown = renderPortfolioMarkdown(build(partial));
    expect(markdown.split('\n')[2]).toMatch(
      /^> \*\*This report is partial: shards 1\/3, 3\/3 are missing/,
    );
    expect(renderPortfolioHtml(build(partial))).toMatch(
      /<p class="warning">This report is partial/,
    );
  });
});

describe('counts read as English', () => {
  it('one service in one repository is singular everywhere, and a platform integrated elsewhere counts as adopted', () => {
    const yaml =
      'name: Carers\nowner: {organisation: DWP, team: Carers}\nphase: alpha\nplatforms: {identity: {id: govuk-one-login, integrated_in: dwp/identity}, payments: none}\n';
    const m = parseManifest(yaml);
    if (!m.ok) throw new Error('fixture');
    const results: AuditResults = {
      generated_at: NOW,
      organisations: ['dwp'],
      repositories: [repositoryResult('dwp/carers', 'dwp', evaluateYaml(yaml), m.manifest)],
      excluded: { archived: [], fork: ['dwp/carers-fork'], empty: [] },
    };
    const p = build(results);
    const html = renderPortfolioHtml(p);
    const markdown = renderPortfolioMarkdown(p);
    expect(html).toContain('<li><strong>1</strong> service</li>');
    expect(html).toContain('<li><strong>1</strong> repository audited</li>');
    expect(markdown).toContain('1 service in 1 repository;');
    for (const out of [html, markdown])
      expect(out).not.toMatch(/\b1(<\/strong>)? (services|repositories|forks|organisations)\b/);
    expect(p.platform_adoption).toEqual(
      expect.arrayContaining([
        { category: 'identity', platform: 'govuk-one-login', services: 1 },
        { category: 'payments', platform: 'none', services: 1 },
      ]),
    );
    const csv = parseCsv(renderPortfolioCsv(results));
    const column = (name: string) => csv[1]![csv[0]!.indexOf(name)];
    expect([column('identity'), column('payments')]).toEqual(['govuk-one-login', 'none']);
  });
});

describe('hostile organisation, team and service names', () => {
  const manifest = (name: string) => {
    const m = parseManifest(
      'name: Carers\nowner: {organisation: DWP, team: Carers}\nphase: alpha\n',
    );
    if (!m.ok) throw new Error('fixture');
    return { ...m.manifest, name, owner: { organisation: name, team: name } };
  };
  const resultsWith = (text: string): AuditResults => {
    const report = evaluateYaml(
      'name: Carers\nowner: {organisation: DWP, team: Carers}\nphase: alpha\n',
    );
    return {
      generated_at: NOW,
      organisations: [text],
      repositories: [repositoryResult(`org/repo`, text, report, manifest(text))],
      excluded: { archived: [], fork: [], empty: [] },
    };
  };
  const benign = resultsWith('Plain words');

  it.each(Object.entries(HOSTILE_STRINGS))(
    '%s: same structure in markdown and HTML, safe CSV',
    (_n, text) => {
      expect(tags(md.render(renderPortfolioMarkdown(build(resultsWith(text)))))).toEqual(
        tags(md.render(renderPortfolioMarkdown(build(benign)))),
      );
      expect(tags(renderPortfolioHtml(build(resultsWith(text))))).toEqual(
        tags(renderPortfolioHtml(build(benign))),
      );
      const csv = renderPortfolioCsv(resultsWith(text));
      const rows = parseCsv(csv);
      expect(rows).toHaveLength(2);
      expect(rows[1]).toHaveLength(rows[0]!.length);
      for (const cell of rows[1]!) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
      expect(rows[1]![1]).toBe(/^[=+\-@\t\r\n]/.test(text) ? `'${text}` : text);
      expect(renderPortfolioMarkdown(build(resultsWith(text)))).not.toMatch(/@(everyone|org\/)/);
    },
  );
});
