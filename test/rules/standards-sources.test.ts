import { describe, expect, it } from 'vitest';
import { wcagAtLeast } from '../../src/core/rules/cel.js';
import { bundledPacks } from '../../src/run/bundled-packs.js';
import { evaluateYaml, rulesFailing } from '../helpers/evaluate.js';

/** The findings of one rule, for assertions on its message. */
const findingsOf = (report: ReturnType<typeof evaluateYaml>, rule: string) =>
  report.findings.filter((f) => f.rule === rule && !f.waived);

const passedAlpha = `assessments:\n  - {phase: alpha, date: 2026-06-01, outcome: green}\n`;
const service = (phase: string, extra = '') =>
  `name: Register a childminder\nowner: {organisation: Ofsted}\nphase: ${phase}\n${extra}`;

describe('rules sit under the points their sources give them', () => {
  const packs = bundledPacks();
  const rule = (id: string) => packs.flatMap((p) => p.rules).find((r) => r.id === id);

  it('every rule points at a point its standard has; the Service Standard has 14 and no point 0', () => {
    for (const pack of packs)
      for (const r of pack.rules.filter((x) => x.standard === pack.standard.id))
        expect(pack.standard.points[String(r.point)], r.id).toBeDefined();
    expect(rule('gds.0.cross-government-panel')).toBeUndefined();
    expect(rule('core.cross-government-panel')?.pointTitle).toBe(
      'Assessments follow the Service Manual',
    );
  });

  it('assisted digital is point 5; point 3 asks for the other channels', () => {
    expect(rule('gds.5.assisted-digital')?.point).toBe(5);
    const yaml = service('private-beta', `transactional: true\n${passedAlpha}`);
    expect(rulesFailing(evaluateYaml(yaml))).toContain('gds.3.other-channels');
    expect(rulesFailing(evaluateYaml(`${yaml}channels: [phone, paper form]\n`))).not.toContain(
      'gds.3.other-channels',
    );
  });

  it('privacy and security start at private beta, like their TCoP twins', () => {
    for (const id of ['gds.9.privacy-notice', 'gds.9.security-policy'])
      expect(rule(id)?.phases[0], id).toBe('private-beta');
    expect(rule('tcop.7.privacy')?.phases[0]).toBe('private-beta');
  });

  it('point 14 is evidenced by tests, monitoring, a health check and a deploy pipeline', () => {
    expect(rule('gds.14.automated-tests')?.point).toBe(14);
    expect(rule('gds.11.automated-tests')).toBeUndefined();
    expect(rule('gds.14.ownership')).toBeUndefined();
    const live = service('live', 'kind: service\n');
    const bare = rulesFailing(evaluateYaml(live));
    expect(bare).toEqual(
      expect.arrayContaining([
        'gds.14.monitoring',
        'gds.14.health-check',
        'gds.14.regular-deployment',
      ]),
    );
    const shown = rulesFailing(
      evaluateYaml(live, {
        paths: [
          'config/prometheus/alerts.yml',
          'app/routes/healthcheck.js',
          '.github/workflows/deploy.yml',
          'test/app.test.js',
        ],
      }),
    );
    for (const id of [
      'gds.14.monitoring',
      'gds.14.health-check',
      'gds.14.regular-deployment',
      'gds.14.automated-tests',
    ])
      expect(shown, id).not.toContain(id);
  });

  it('a plain CI workflow is not taken as evidence of regular deployment', () => {
    expect(
      rulesFailing(evaluateYaml(service('live'), { paths: ['.github/workflows/ci.yml'] })),
    ).toContain('gds.14.regular-deployment');
  });
});

describe('user-interface rules fit the kind of repository', () => {
  const beta = (extra: string) => service('private-beta', `${passedAlpha}${extra}`);

  it('an API needs no design system, start page or accessibility statement', () => {
    const api = rulesFailing(evaluateYaml(beta('kind: api\n')));
    for (const id of ['gds.13.design-system', 'a11y.1.target-set', 'a11y.2.statement'])
      expect(api, id).not.toContain(id);
    const ui = rulesFailing(evaluateYaml(beta('')));
    for (const id of ['gds.13.design-system', 'a11y.1.target-set', 'a11y.2.statement'])
      expect(ui, id).toContain(id);
  });

  it('design_system: {none: reason} is a way out of the design-system gate, and needs a reason', () => {
    const none = beta(
      'kind: tool\ndesign_system: {none: Back-office tool on the Rails admin pattern library}\n',
    );
    expect(rulesFailing(evaluateYaml(none))).not.toContain('gds.13.design-system');
    const both = evaluateYaml(
      beta('design_system: {name: govuk-frontend, none: because we said so}\n'),
    );
    expect(both.findings[0]?.message).toMatch(/either name .* or none/);
    const short = evaluateYaml(beta('design_system: {none: no}\n'));
    expect(short.findings[0]?.message).toMatch(/at least 10 characters/);
  });
});

describe('assessments', () => {
  const amber = (fields: string) =>
    service(
      'private-beta',
      `assessments:\n  - {phase: alpha, date: 2026-06-01, outcome: amber${fields}}\n`,
    );

  it('overdue amber actions pass once cleared with evidence, and fail while not cleared', () => {
    expect(rulesFailing(evaluateYaml(amber(', actions_due: 2026-09-01')), 'failure')).toContain(
      'core.amber-actions-cleared',
    );
    const cleared = amber(
      ', actions_due: 2026-09-01, actions_cleared: {date: 2026-08-20, by: DfE assessment team, evidence: docs/assessment/alpha-actions.md}',
    );
    expect(rulesFailing(evaluateYaml(cleared))).not.toContain('core.amber-actions-cleared');
    expect(rulesFailing(evaluateYaml(cleared))).not.toContain('core.amber-has-due-date');
  });

  it('amber without actions_due is due amber_actions_max_days after the assessment', () => {
    // 2026-06-01 + 90 days is 2026-08-30; TODAY is 2026-11-27.
    expect(rulesFailing(evaluateYaml(amber('')), 'failure')).toContain(
      'core.amber-actions-cleared',
    );
    expect(
      rulesFailing(
        evaluateYaml(amber(''), {
          policy: { thresholds: { assessment: { amber_actions_max_days: 200 } } },
        }),
        'failure',
      ),
    ).not.toContain('core.amber-actions-cleared');
  });

  it('a cross-government panel is needed above 100,000 transactions or across organisations', () => {
    const panel = (extra: string) =>
      rulesFailing(
        evaluateYaml(
          service(
            'private-beta',
            `${extra}assessments:\n  - {phase: alpha, date: 2026-06-01, outcome: green, panel: departmental}\n`,
          ),
        ),
      );
    expect(panel('transactions_per_year: 20000\n')).not.toContain('core.cross-government-panel');
    expect(panel('transactions_per_year: 200000\n')).toContain('core.cross-government-panel');
    expect(panel('used_by_several_organisations: true\n')).toContain('core.cross-government-panel');
  });

  it('a form on an assured form platform needs no assessment; other forms and services do', () => {
    const form = (platform: string) =>
      rulesFailing(
        evaluateYaml(service('live', `kind: form\nplatforms: {forms: ${platform}}\n`)),
        'failure',
      );
    expect(form('govuk-forms')).not.toContain('core.entry-assessment-recorded');
    expect(form('gc-forms')).toContain('core.entry-assessment-recorded');
    expect(
      rulesFailing(evaluateYaml(service('live', 'platforms: {forms: govuk-forms}\n')), 'failure'),
    ).toContain('core.entry-assessment-recorded');
  });
});

describe('spend control', () => {
  const spend = (fields: string, owner = 'organisation: Home Office') =>
    `name: X\nowner: {${owner}}\nphase: alpha\nspend: {currency: GBP, ${fields}}\n`;

  it('applies by default to central government and unknown sectors, not to councils or the NHS', () => {
    for (const sector of ['local-government', 'nhs', 'devolved']) {
      const r = evaluateYaml(
        spend('whole_life_cost: 5000000', `organisation: X, sector: ${sector}`),
      );
      expect(
        r.packs.map((p) => p.id),
        sector,
      ).not.toContain('uk-spend-control');
      expect(r.packsSkipped.find((s) => s.id === 'uk-spend-control')?.reason).toContain(sector);
    }
    for (const owner of ['organisation: X, sector: central-government', 'organisation: X'])
      expect(
        evaluateYaml(spend('whole_life_cost: 5000000', owner)).packs.map((p) => p.id),
      ).toContain('uk-spend-control');
    const named = evaluateYaml(
      `${spend('whole_life_cost: 5000000', 'organisation: X, sector: nhs')}standards: [uk-spend-control]\n`,
    );
    expect(named.packs.map((p) => p.id)).toContain('uk-spend-control');
  });

  it('public_facing left out is a finding and uses the lower threshold', () => {
    const r = evaluateYaml(spend('whole_life_cost: 600000'));
    expect(rulesFailing(r, 'failure')).toContain('spend.2.approved');
    expect(rulesFailing(r, 'warning')).toContain('spend.1.audience-declared');
    expect(
      rulesFailing(evaluateYaml(spend('whole_life_cost: 600000, public_facing: false'))),
    ).not.toContain('spend.2.approved');
  });

  it('any spend on Crypt-Key products needs approval', () => {
    const r = evaluateYaml(spend('whole_life_cost: 5000, public_facing: false, crypt_key: true'));
    expect(rulesFailing(r, 'failure').filter((id) => id.startsWith('spend.'))).toEqual([
      'spend.2.crypt-key-approved',
    ]);
  });

  it('reports the Risk and Importance rating as information, from cost and transactions', () => {
    const rating = (fields: string, extra = '') =>
      findingsOf(evaluateYaml(`${spend(fields)}${extra}`), 'spend.5.risk-and-importance')[0];
    expect(rating('whole_life_cost: 5000000, public_facing: true')).toMatchObject({
      level: 'notice',
    });
    expect(rating('whole_life_cost: 5000000, public_facing: true')!.message).toContain(
      'at least low',
    );
    expect(rating('whole_life_cost: 25000000, public_facing: true')!.message).toContain(
      'at least medium',
    );
    expect(
      rating('whole_life_cost: 5000000, public_facing: true', 'transactions_per_year: 2000000\n')!
        .message,
    ).toContain('at least high');
  });

  it("spend.4's fix follows v6: a spend request through the pipeline, not 'before discovery and before live'", () => {
    const r = evaluateYaml(
      spend(
        'whole_life_cost: 5000000, public_facing: true, approval: {reference: R1, date: 2026-01-01, phases: [discovery]}',
      ),
    );
    const fix = findingsOf(r, 'spend.4.covers-phase')[0]!.fix;
    expect(fix).toContain('pipeline');
    expect(fix).not.toContain('before discovery');
  });
});

describe('accessibility floors by sector, naming the law', () => {
  const a11yFailures = (report: ReturnType<typeof evaluateYaml>) =>
    rulesFailing(report, 'failure').filter((id) => id.startsWith('a11y.'));
  const a11y = (target: string, sector?: string) =>
    evaluateYaml(
      `name: X\nowner: {organisation: X${sector ? `, sector: ${sector}` : ''}}\nphase: alpha\naccessibility: {target: '${target}'}\n`,
    );

  it('compares WCAG targets by version and level, not as strings', () => {
    expect(wcagAtLeast('WCAG 2.2 A', 'WCAG 2.1 AA')).toBe(false);
    expect(wcagAtLeast('WCAG 2.1 AAA', 'WCAG 2.1 AA')).toBe(true);
    expect(wcagAtLeast('WCAG 2.2 AA', 'WCAG 2.0 AA')).toBe(true);
  });

  it('UK: the 2018 regulations require 2.1 AA; GDS monitors 2.2 AA', () => {
    expect(a11yFailures(a11y('WCAG 2.1 AA', 'local-government'))).toEqual([]);
    const monitored = findingsOf(a11y('WCAG 2.1 AA', 'local-government'), 'a11y.1.gds-monitoring');
    expect(monitored[0]?.message).toMatch(/GDS monitors .* WCAG 2\.2 AA/);
    const below = findingsOf(a11y('WCAG 2.0 AA', 'nhs'), 'a11y.1.uk-regulations-floor');
    expect(below[0]?.message).toContain(
      'Public Sector Bodies (Websites and Mobile Applications) Accessibility Regulations 2018',
    );
  });

  it('US federal: Section 508 (WCAG 2.0 AA); state and local: ADA Title II (WCAG 2.1 AA)', () => {
    expect(a11yFailures(a11y('WCAG 2.0 AA', 'federal'))).toEqual([]);
    const ada = findingsOf(a11y('WCAG 2.0 AA', 'state-local'), 'a11y.1.ada-title-ii-floor');
    expect(ada[0]?.message).toContain('ADA Title II');
    expect(
      findingsOf(a11y('WCAG 2.0 A', 'federal'), 'a11y.1.section-508-floor')[0]?.message,
    ).toContain('Section 508');
  });

  it('no sector declared: the strictest floor, and the message says why', () => {
    expect(findingsOf(a11y('WCAG 2.1 AA'), 'a11y.1.target-floor')[0]?.message).toContain(
      'is not declared',
    );
  });

  it('the statement is due from private beta (no beta exemption) and must be kept under review', () => {
    const beta = (fields: string) =>
      evaluateYaml(
        service('private-beta', `${passedAlpha}accessibility: {target: WCAG 2.2 AA${fields}}\n`),
      );
    const missing = findingsOf(beta(''), 'a11y.2.statement')[0];
    expect(missing?.level).toBe('failure');
    expect(missing?.message).toContain('Regulation 8');
    const stale = beta(
      ', statement: https://example.gov.uk/accessibility, statement_reviewed: 2025-06-01',
    );
    expect(findingsOf(stale, 'a11y.2.statement-reviewed')[0]?.message).toMatch(
      /reviewed \d+ days ago/,
    );
    const fresh = beta(
      ', statement: https://example.gov.uk/accessibility, statement_reviewed: 2026-10-01',
    );
    expect(rulesFailing(fresh)).not.toContain('a11y.2.statement-reviewed');
  });
});

describe('the US packs', () => {
  const us = (extra: string, phase = 'public-beta') =>
    `name: X\nowner: {organisation: Agency, contact: a@example.gov, sector: federal}\nphase: ${phase}\nassessments:\n  - {phase: beta, date: 2026-06-01, outcome: met}\nstandards: [us-digital-services-playbook, us-21st-century-idea]\n${extra}`;

  it('play.8 asks for local-development instructions (a README), not Dependabot', () => {
    expect(rulesFailing(evaluateYaml(us('')))).toContain('play.8.modern-stack');
    expect(rulesFailing(evaluateYaml(us(''), { paths: ['README.md'] }))).not.toContain(
      'play.8.modern-stack',
    );
  });

  it('federal sites must use USWDS; state and local sites may use any design system', () => {
    const gov = us('design_system: {name: govuk-frontend}\n');
    expect(rulesFailing(evaluateYaml(gov))).toContain('play.3.style-guide');
    expect(rulesFailing(evaluateYaml(gov))).toContain('idea.9.uswds');
    const state = gov.replace('sector: federal', 'sector: state-local');
    expect(rulesFailing(evaluateYaml(state))).not.toContain('play.3.style-guide');
  });

  it('21st Century IDEA: HTTPS only, search and the required links', () => {
    const r = evaluateYaml(
      us('url: http://benefits.example.gov\nlinks: {about: https://example.gov/about}\n'),
    );
    expect(findingsOf(r, 'idea.5.secure-connection').map((f) => f.message)).toEqual([
      expect.stringContaining('http://benefits.example.gov is not an https:// address'),
    ]);
    expect(rulesFailing(r)).toContain('idea.4.search');
    expect(findingsOf(r, 'idea.10.required-links').map((f) => f.message)).toEqual([
      expect.stringContaining('privacy'),
      expect.stringContaining('foia'),
      expect.stringContaining('accessibility'),
      expect.stringContaining('usa_gov'),
    ]);
  });
});

describe('performance data', () => {
  it('flags a link to the closed GOV.UK Performance Platform', () => {
    const r = evaluateYaml(
      service('alpha', 'performance: {dashboard: https://www.gov.uk/performance/renew-passport}\n'),
    );
    expect(findingsOf(r, 'gds.10.dashboard-not-closed')[0]?.message).toContain(
      'closed in March 2021',
    );
    expect(
      rulesFailing(
        evaluateYaml(
          service('alpha', 'performance: {dashboard: https://www.data.gov.uk/dataset/x}\n'),
        ),
      ),
    ).not.toContain('gds.10.dashboard-not-closed');
  });
});

describe('explain', () => {
  it('shows the source a rule cites and its standard', async () => {
    const { cli } = await import('../helpers/cli.js');
    const out = (await cli(['explain', 'gds.5.assisted-digital'])).stdout;
    expect(out).toContain(
      'Source:    https://www.gov.uk/service-manual/service-standard/point-5-make-sure-everyone-can-use-the-service',
    );
    expect(out).toContain(
      'Standard:  GOV.UK Service Standard, https://www.gov.uk/service-manual/service-standard',
    );
    expect(out).toContain('point 5 (Make sure everyone can use the service)');
  });
});
