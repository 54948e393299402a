import { describe, expect, it } from 'vitest';
import { bandMaturity, type MaturityRow } from '../../../src/core/audit/maturity.js';
import { parseManifest } from '../../../src/core/manifest/load.js';
import { DEFAULTS } from '../../../src/core/policy/model.js';

const DEFAULT_THRESHOLDS = DEFAULTS.thresholds;

const NOW = '2026-11-27';

function service(repository: string, yaml: string) {
  const parsed = parseManifest(yaml);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
  return {
    repository,
    manifest: parsed.manifest,
    report: { evidence: { practices: { licence: true } } } as never,
  };
}
const svc = (org: string, phase: string, extra = '') =>
  `name: S\nowner: {organisation: ${org}}\nphase: ${phase}\n${extra}`;
const passedAlpha = 'assessments:\n  - {phase: alpha, date: 2026-06-01, outcome: green}\n';
const row = (rows: MaturityRow[], area: string) => rows.find((r) => r.area === area)!;

describe('maturity, banded as the 2018 paper bands it', () => {
  it('alpha services without an assessment are not counted as having passed a gate', () => {
    const rows = bandMaturity(
      [1, 2, 3, 4].map((i) => service(`o/alpha-${i}`, svc(`Org ${i}`, 'alpha'))),
      NOW,
      DEFAULT_THRESHOLDS,
    );
    const ufc = row(rows, 'user_feedback_cycle');
    expect(ufc.band).toBe('Low');
    expect(ufc.evidence).toContain('No service it applies to');
  });

  it('bands by spread across organisations: one adopts, others adopt, standard across government', () => {
    const gated = (org: string, n: number) =>
      Array.from({ length: n }, (_, i) =>
        service(`${org}/s${i}`, svc(org, 'private-beta', passedAlpha)),
      );
    const ungated = (org: string) => service(`${org}/x`, svc(org, 'private-beta'));
    const band = (services: ReturnType<typeof service>[]) =>
      row(bandMaturity(services, NOW, DEFAULT_THRESHOLDS), 'user_feedback_cycle');
    expect(band([ungated('A'), ungated('B')]).band).toBe('Low');
    const one = band([...gated('A', 2), ungated('B')]);
    expect(one.band).toBe('Medium');
    expect(one.wording).toBe(
      'Digital service unit adopts an Alpha-Beta-Live approach for launching projects.',
    );
    expect(one.adopting).toEqual(['A']);
    const two = band([...gated('A', 2), ...gated('B', 1), ungated('C')]);
    expect(two.band).toBe('High');
    expect(two.evidence).toContain('Not Future State');
    expect(band([...gated('A', 2), ...gated('B', 1), ...gated('C', 1)]).band).toBe('Future State');
    // Thresholds are policy values.
    expect(
      row(
        bandMaturity([...gated('A', 2), ...gated('B', 1), ungated('C')], NOW, DEFAULT_THRESHOLDS, {
          user_feedback_cycle: { standard_at: 0.6 },
        }),
        'user_feedback_cycle',
      ).band,
    ).toBe('Future State');
  });

  it("shared platforms: 'none' does not count against adoption", () => {
    const rows = bandMaturity(
      [
        service(
          'a/1',
          svc('A', 'live', 'platforms: {identity: govuk-one-login, payments: none}\n'),
        ),
        service('a/2', svc('A', 'live', 'platforms: {payments: govuk-pay, notifications: none}\n')),
      ],
      NOW,
      DEFAULT_THRESHOLDS,
    );
    expect(row(rows, 'shared_platforms')).toMatchObject({ met: 1, of: 1, band: 'Medium' });
  });

  it('shared design patterns reach Future State only with a governance mechanism', () => {
    const ds = (org: string) =>
      service(`${org}/web`, svc(org, 'live', 'design_system: {name: govuk-frontend}\n'));
    const services = ['A', 'B', 'C'].map(ds);
    expect(
      row(bandMaturity(services, NOW, DEFAULT_THRESHOLDS), 'shared_design_patterns').band,
    ).toBe('High');
    expect(
      row(
        bandMaturity(
          services,
          NOW,
          DEFAULT_THRESHOLDS,
          {},
          {
            locks: ['thresholds.design_system_floors.govuk-frontend'],
            forcedPacks: [],
            failureRules: [],
          },
        ),
        'shared_design_patterns',
      ).band,
    ).toBe('Future State');
  });

  it('names the areas a repository cannot evidence, and has no invented "public data" area', () => {
    const rows = bandMaturity([], NOW, DEFAULT_THRESHOLDS);
    expect(rows.map((r) => r.area)).not.toContain('public_data');
    const missing = rows.filter((r) => r.band === 'Not evidenced').map((r) => r.title);
    expect(missing).toContain('Creating Public Registers of Data');
    expect(missing).toHaveLength(14);
  });
});

describe('codifying UX testing', () => {
  it('needs a second organisation for Medium and a formal requirement for High', () => {
    const tested = (org: string) =>
      service(
        `${org}/s`,
        svc(
          org,
          'live',
          'research:\n  - {date: 2026-10-01, method: usability testing, participants: 6}\n',
        ),
      );
    const ux = (services: ReturnType<typeof service>[], failureRules: string[] = []) =>
      row(
        bandMaturity(
          services,
          NOW,
          DEFAULT_THRESHOLDS,
          {},
          { locks: [], forcedPacks: [], failureRules },
        ),
        'codified_ux_testing',
      );
    expect(ux([tested('A')]).band).toBe('Low');
    expect(ux([tested('A'), tested('B')]).band).toBe('Medium');
    expect(ux([tested('A'), tested('B')], ['gds.4.usability-tested']).band).toBe('Future State');
  });
});
