import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DESIGN_SYSTEMS, PLATFORMS } from '../../../src/core/domain/signals.js';
import { detectEvidence } from '../../../src/core/evidence/detect.js';
import {
  CORPUS_ECOSYSTEMS,
  CORPUS_ROOT,
  COUNTRIES,
  corpusProblems,
  formatScore,
  idsFromEvidence,
  loadCorpus,
  REQUIRED_FILE_KINDS,
  scoreCorpus,
  SECRET_PATTERNS,
} from '../../helpers/real-repos.js';

const corpus = loadCorpus();
/** Issue 11 asks for at least 60 repositories from 15 organisations; the corpus is landing in batches. */
const MINIMUM = { repositories: 60, owners: 15, hardNegatives: 8 };
const knownIds = {
  design_systems: DESIGN_SYSTEMS.map((d) => d.id),
  platforms: PLATFORMS.map((p) => p.id),
};

describe('the real-repository corpus', () => {
  it('is well formed: files stored and listed, labels proved by lines that exist, no secrets', () => {
    expect(corpusProblems(corpus, knownIds)).toEqual([]);
  });

  it('is large and varied enough to measure detection on', () => {
    const owners = new Set(corpus.repositories.map((r) => r.repo.split('/')[0]));
    expect(corpus.repositories.length).toBeGreaterThanOrEqual(MINIMUM.repositories);
    expect(owners.size).toBeGreaterThanOrEqual(MINIMUM.owners);
    expect(new Set(corpus.repositories.map((r) => r.country))).toEqual(new Set(COUNTRIES));
    const ecosystems = new Set(corpus.repositories.flatMap((r) => r.ecosystems));
    expect(CORPUS_ECOSYSTEMS.filter((e) => !ecosystems.has(e))).toEqual([]);
    const paths = corpus.repositories.flatMap((r) => r.files);
    const missingKinds = Object.entries(REQUIRED_FILE_KINDS)
      .filter(([, matches]) => !paths.some(matches))
      .map(([kind]) => kind);
    expect(missingKinds).toEqual([]);
  });

  it('has hard negatives: repositories that show neither a design system nor a platform', () => {
    const empty = corpus.repositories.filter(
      (r) => r.labels.design_systems.length === 0 && r.labels.platforms.length === 0,
    );
    expect(empty.length).toBeGreaterThanOrEqual(MINIMUM.hardNegatives);
  });

  it('names every invented id in its README, so the catalogue can adopt the same ids', () => {
    const readme = readFileSync(`${CORPUS_ROOT}/README.md`, 'utf8');
    const invented = [
      ...Object.keys(corpus.manifest.invented_ids.design_systems),
      ...Object.keys(corpus.manifest.invented_ids.platforms),
    ];
    expect(invented.filter((id) => !readme.includes(`\`${id}\``))).toEqual([]);
  });
});

describe('the corpus checks catch a malformed corpus', () => {
  const first = corpus.repositories[0]!;
  const mutate = (change: (r: typeof first) => typeof first) =>
    corpusProblems({ ...corpus, repositories: [change(structuredClone(first))] }, knownIds);

  it('flags an evidence line that does not contain its signal', () => {
    const problems = mutate((r) => ({
      ...r,
      labels: { design_systems: ['govuk-frontend'], platforms: [] },
      evidence: [{ id: 'govuk-frontend', file: r.files[0]!, line: 1, signal: 'no such text here' }],
    }));
    expect(problems.join('\n')).toMatch(/does not contain "no such text here"/);
  });

  it('flags a label without evidence and an unknown id', () => {
    const problems = mutate((r) => ({
      ...r,
      labels: { design_systems: ['not-a-design-system'], platforms: [] },
      evidence: [],
    }));
    expect(problems.join('\n')).toMatch(/not-a-design-system is neither a catalogue id/);
    expect(problems.join('\n')).toMatch(/label not-a-design-system has no evidence line/);
  });

  it('flags a file that is listed but not stored, and one stored but not listed', () => {
    const problems = mutate((r) => ({ ...r, files: [...r.files, 'missing/package.json'] }));
    expect(problems.join('\n')).toMatch(/listed file missing\/package.json is not stored/);
    expect(problems.join('\n')).toMatch(/stored but not listed in the manifest/);
  });

  it('recognises the shapes of real credentials', () => {
    const looksSecret = (text: string) => SECRET_PATTERNS.some(([, p]) => p.test(text));
    expect(looksSecret('-----BEGIN RSA PRIVATE KEY-----')).toBe(true);
    expect(
      looksSecret(
        'NOTIFY_API_KEY=test-11111111-2222-3333-4444-555555555555-66666666-7777-8888-9999-000000000000',
      ),
    ).toBe(true);
    expect(looksSecret('DATABASE_URL=postgres://app:hunter2@db.internal.example:5432/app')).toBe(
      true,
    );
    expect(looksSecret('client_secret: 8f3kQ9zLw2Xb7Yc4Vn1Mp6Rt0Gh5Jd')).toBe(true);
    expect(looksSecret('DATABASE_URL=postgres://postgres:password@localhost:5432')).toBe(false);
    expect(looksSecret('NOTIFY_API_KEY=')).toBe(false);
  });
});

describe('detection against the corpus (figures, not yet a threshold)', () => {
  it('prints design-system and platform precision and recall per ecosystem', () => {
    const score = scoreCorpus(corpus, (snapshot) => idsFromEvidence(detectEvidence(snapshot)));
    console.log(
      `Real-repository corpus, ${corpus.repositories.length} repositories\n${formatScore(score)}`,
    );
    const overall = score.rows.find((r) => r.scope === 'overall')!;
    const labels = corpus.repositories.reduce(
      (n, r) => n + r.labels.design_systems.length + r.labels.platforms.length,
      0,
    );
    // Every label is either found or missed: the arithmetic accounts for the whole corpus.
    expect(
      overall.design_systems.tp +
        overall.design_systems.fn +
        overall.platforms.tp +
        overall.platforms.fn,
    ).toBe(labels);
    expect(overall.repositories).toBe(corpus.repositories.length);
  });
});
