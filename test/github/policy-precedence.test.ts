import { describe, expect, it } from 'vitest';
import { effectivePolicy } from '../../src/core/policy/effective.js';
import { loadPolicyFromGitHub } from '../../src/github/policy.js';
import { policyFiles } from '../helpers/policy-files.js';

/**
 * (central files, repository file) → (effective policy, diagnostics), one row per rule of
 * precedence, in the style of OpenSSF Allstar's TestConfigPrecedence. The repository judged is
 * always dept/passport; its organisation's central file is dept/.github:.github/service-gate.yml.
 */

const ORG = 'dept/.github:.github/service-gate.yml';
const REPO = 'dept/passport:.github/service-gate.yml';
const WAIVER = (rule: string, extra = '') =>
  `waivers:\n  - {rule: '${rule}', reason: Agreed with the assessors, approved_by: cddo, expires: 2027-01-31${extra}}\n`;

interface Row {
  name: string;
  /** Files on default branches, by "owner/repo:path". */
  files: Record<string, string>;
  /** Part of the merged policy (every default filled in). */
  policy?: Record<string, unknown>;
  /** Rules the effective waivers cover. */
  waivers?: string[];
  /** [code, file] of every diagnostic, in order. */
  diagnostics: [string, string][];
  /** The files applied, most general first, and whether each is central. */
  layers?: [string, boolean][];
  /** Files the loader must never have read. */
  neverRead?: string[];
  repo?: string;
}

const rows: Row[] = [
  {
    name: 'no policy file anywhere: every default',
    files: {},
    policy: {
      packs: {
        default: [
          'gds-service-standard',
          'uk-spend-control',
          'uk-technology-code-of-practice',
          'accessibility',
        ],
        add: [],
        force: [],
      },
      thresholds: { research: { max_age_days: 180, min_participants: 5 } },
      check_name: 'Service Standard',
      on_error: 'failure',
      max_waiver_days: 365,
    },
    diagnostics: [],
    layers: [],
  },
  {
    name: 'the central file sets values and grants waivers',
    files: {
      [ORG]: `thresholds:\n  research: {max_age_days: 90}\non_error: neutral\n${WAIVER('gds.12.*')}`,
    },
    policy: { thresholds: { research: { max_age_days: 90 } }, on_error: 'neutral' },
    waivers: ['gds.12.*'],
    diagnostics: [],
    layers: [[ORG, true]],
  },
  {
    name: 'a repository file overrides an unlocked setting',
    files: {
      [ORG]: 'thresholds:\n  research: {max_age_days: 90}\n',
      [REPO]: 'thresholds:\n  research: {max_age_days: 200}\n',
    },
    policy: { thresholds: { research: { max_age_days: 200 } } },
    diagnostics: [],
    layers: [
      [ORG, true],
      [REPO, false],
    ],
  },
  {
    name: 'a repository file may tighten a locked setting',
    files: {
      [ORG]: 'locks: [thresholds.research]\nthresholds:\n  research: {max_age_days: 90}\n',
      [REPO]: 'thresholds:\n  research: {max_age_days: 60, min_participants: 8}\n',
    },
    policy: { thresholds: { research: { max_age_days: 60, min_participants: 8 } } },
    diagnostics: [],
  },
  {
    name: 'a repository file cannot loosen a locked setting: a finding, and the lock holds',
    files: {
      [ORG]: 'locks: [thresholds.research]\nthresholds:\n  research: {max_age_days: 90}\n',
      [REPO]: 'thresholds:\n  research: {max_age_days: 400}\n',
    },
    policy: { thresholds: { research: { max_age_days: 90 } } },
    diagnostics: [['policy/locked-setting', REPO]],
  },
  {
    name: 'a lock on a setting no file set holds its default',
    files: {
      [ORG]: 'locks: [thresholds.accessibility]\n',
      [REPO]:
        'thresholds:\n  accessibility: {audit_max_age_days: 730, minimum_target: WCAG 2.1 A}\n',
    },
    policy: {
      thresholds: { accessibility: { audit_max_age_days: 365, minimum_target: 'WCAG 2.2 AA' } },
    },
    diagnostics: [
      ['policy/locked-setting', REPO],
      ['policy/locked-setting', REPO],
    ],
  },
  {
    name: "a severity lock compares with the rule's own level: 'off' for a failure rule is a finding",
    files: {
      [ORG]: 'locks: [severity]\n',
      [REPO]: "severity:\n  core.entry-assessment-passed: 'off'\n",
    },
    policy: { severity: {} },
    diagnostics: [['policy/locked-setting', REPO]],
  },
  {
    name: 'a severity lock lets a repository raise a notice rule to warning, not lower a warning one',
    files: {
      [ORG]: 'locks: [severity]\n',
      [REPO]:
        'severity:\n  core.assessment-report-linked: warning\n  core.cross-government-panel: notice\n',
    },
    policy: { severity: { 'core.assessment-report-linked': 'warning' } },
    diagnostics: [['policy/locked-setting', REPO]],
  },
  {
    name: 'on_error and max_waiver_days: a repository may only tighten them, locked or not',
    files: {
      [ORG]: 'on_error: neutral\nmax_waiver_days: 90\n',
      [REPO]: 'on_error: failure\nmax_waiver_days: 3650\n',
    },
    policy: { on_error: 'failure', max_waiver_days: 90 },
    diagnostics: [['policy/locked-setting', REPO]],
  },
  {
    name: 'a repository file cannot fail open with on_error: neutral',
    files: { [REPO]: 'on_error: neutral\n' },
    policy: { on_error: 'failure' },
    diagnostics: [['policy/locked-setting', REPO]],
  },
  {
    name: 'a repository file grants no waivers and sets no locks, even with no central file',
    files: { [REPO]: `locks: [thresholds]\n${WAIVER('**')}` },
    waivers: [],
    diagnostics: [
      ['policy/waiver-not-central', REPO],
      ['policy/lock-not-central', REPO],
    ],
    layers: [[REPO, false]],
  },
  {
    name: 'packs.add and packs.force accumulate: a repository cannot remove central packs',
    files: {
      [ORG]: 'packs: {force: [accessibility], add: [uk-spend-control]}\n',
      [REPO]: 'packs: {force: [], add: [dept-extras]}\n',
    },
    policy: { packs: { force: ['accessibility'], add: ['uk-spend-control', 'dept-extras'] } },
    diagnostics: [],
  },
  {
    name: "_extends in a repository file cannot replace the organisation's file",
    files: {
      [ORG]: 'locks: [thresholds.research]\nthresholds:\n  research: {max_age_days: 90}\n',
      'other/.github:.github/service-gate.yml': `thresholds:\n  research: {max_age_days: 900}\n${WAIVER('**')}`,
      [REPO]: '_extends: other/.github\n',
    },
    policy: { thresholds: { research: { max_age_days: 90 } } },
    waivers: [],
    diagnostics: [
      ['policy/waiver-not-central', 'other/.github:.github/service-gate.yml'],
      ['policy/locked-setting', 'other/.github:.github/service-gate.yml'],
    ],
    layers: [
      [ORG, true],
      ['other/.github:.github/service-gate.yml', false],
      [REPO, false],
    ],
  },
  {
    name: '_extends to a file that is not a policy file is refused, and the file is never read',
    files: {
      [ORG]: WAIVER('gds.1.*'),
      'dept/passport:.github/anything.yml': `${WAIVER('**')}`,
      [REPO]: "_extends: 'dept/passport:.github/anything.yml'\n",
    },
    waivers: ['gds.1.*'],
    diagnostics: [['policy/extends-not-policy', REPO]],
    neverRead: ['dept/passport:.github/anything.yml'],
  },
  {
    name: '_extends to a repository that is not a .github one is refused unless trusted',
    files: {
      'dept/secrets:.github/service-gate.yml':
        'check_name: ghp_abcdefghijklmnopqrstuvwxyz0123456789\n',
      [REPO]: '_extends: dept/secrets\n',
    },
    policy: { check_name: 'Service Standard' },
    diagnostics: [['policy/extends-untrusted', REPO]],
    neverRead: ['dept/secrets:.github/service-gate.yml'],
  },
  {
    name: 'the central file can trust another repository for _extends',
    files: {
      [ORG]: 'trusted_sources: [dept/policies]\n',
      'dept/policies:.github/service-gate/strict.yml':
        'thresholds:\n  research: {max_age_days: 30}\n',
      [REPO]: "_extends: 'dept/policies:.github/service-gate/strict.yml'\n",
    },
    policy: { thresholds: { research: { max_age_days: 30 } } },
    diagnostics: [],
    layers: [
      [ORG, true],
      ['dept/policies:.github/service-gate/strict.yml', false],
      [REPO, false],
    ],
  },
  {
    name: 'trusted_sources in a repository file trusts nothing',
    files: {
      'dept/policies:.github/service-gate.yml': 'check_name: X\n',
      [REPO]: 'trusted_sources: [dept/policies]\n_extends: dept/policies\n',
    },
    diagnostics: [
      ['policy/extends-untrusted', REPO],
      ['policy/trust-not-central', REPO],
    ],
    neverRead: ['dept/policies:.github/service-gate.yml'],
  },
  {
    name: "the central file's _extends ancestor is central too, and its locks bind the organisation",
    files: {
      'cabinet-office/.github:.github/service-gate.yml':
        'locks: [packs.force]\npacks: {force: [accessibility]}\n',
      [ORG]: '_extends: cabinet-office/.github\npacks: {force: [uk-spend-control]}\n',
    },
    policy: { packs: { force: ['accessibility', 'uk-spend-control'] } },
    diagnostics: [],
    layers: [
      ['cabinet-office/.github:.github/service-gate.yml', true],
      [ORG, true],
    ],
  },
  {
    name: 'an _extends loop is reported and stops',
    files: {
      [ORG]: '_extends: a/.github\n',
      'a/.github:.github/service-gate.yml': '_extends: dept/.github\n',
    },
    diagnostics: [['policy/extends-loop', 'a/.github:.github/service-gate.yml']],
  },
  {
    name: "the .github repository's own file is the central file",
    repo: '.github',
    files: { [ORG]: `locks: [thresholds]\n${WAIVER('gds.12.*')}` },
    waivers: ['gds.12.*'],
    diagnostics: [],
    layers: [[ORG, true]],
  },
  {
    name: 'an error quoting a value shows only a short escaped excerpt',
    files: { [ORG]: "_extends: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789\\nsecret'\n" },
    diagnostics: [['policy/extends-invalid', ORG]],
  },
];

describe('policy precedence: (central files, repository file) → (effective policy, diagnostics)', () => {
  for (const row of rows) {
    it(row.name, async () => {
      const source = policyFiles('dept', row.repo ?? 'passport', row.files);
      const loaded = await loadPolicyFromGitHub(source);
      expect(loaded.diagnostics.map((d) => [d.code, d.file])).toEqual(row.diagnostics);
      if (row.policy) expect(loaded.merged.policy).toMatchObject(row.policy);
      if (row.waivers)
        expect(
          effectivePolicy(loaded.merged.policy, { fullName: 'dept/passport' }).waivers.map(
            (w) => w.rule,
          ),
        ).toEqual(row.waivers);
      if (row.layers) expect(loaded.layers.map((l) => [l.file, l.central])).toEqual(row.layers);
      for (const file of row.neverRead ?? []) expect(source.reads).not.toContain(file);
      for (const d of loaded.diagnostics) {
        expect(d.message).not.toMatch(/ghp_[A-Za-z0-9]{20}/);
        expect(d.message).not.toContain('\n');
      }
    });
  }
});
