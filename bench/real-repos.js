// The real-repository corpus figures for `npm run bench`: the built detector (lib/) scored with the
// same helper the tests use (test/helpers/real-repos.ts, transpiled here because bench runs plain Node).
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { detectEvidence } from '../lib/core/evidence/detect.js';

async function loadHelper() {
  const source = readFileSync('test/helpers/real-repos.ts', 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  return import(`data:text/javascript;base64,${Buffer.from(outputText).toString('base64')}`);
}

/** Report lines (name, value, method) for design-system and platform precision and recall. */
export async function realRepoFigures() {
  const helper = await loadHelper();
  const corpus = helper.loadCorpus();
  const score = helper.scoreCorpus(corpus, (snapshot) =>
    helper.idsFromEvidence(detectEvidence(snapshot)),
  );
  const overall = score.rows.find((r) => r.scope === 'overall');
  const ratio = (x) => (x === null ? '—' : x.toFixed(2));
  const perEcosystem = (kind, measure) =>
    score.rows
      .filter((r) => r.scope !== 'overall' && r.repositories > 0)
      .map((r) => `${r.scope} ${ratio(measure(r[kind]))}`)
      .join(', ');
  const method = (kind, measure) =>
    `${corpus.repositories.length} labelled government repositories (test/fixtures/real-repos), micro-averaged over (repository, id) pairs; per ecosystem: ${perEcosystem(kind, measure)}`;
  return [
    ['design_systems', 'Design-system precision', helper.precision],
    ['design_systems', 'Design-system recall', helper.recall],
    ['platforms', 'Platform precision', helper.precision],
    ['platforms', 'Platform recall', helper.recall],
  ].map(([kind, name, measure]) => ({
    name: `Real repositories: ${name.toLowerCase()}`,
    value: ratio(measure(overall[kind])),
    method: method(kind, measure),
  }));
}
