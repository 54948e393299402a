import { readFileSync } from 'node:fs';
import {
  type AuditResults,
  buildPortfolio,
  mergeResults,
  type Portfolio,
} from '../../core/audit/portfolio.js';
import { effectivePolicy } from '../../core/policy/effective.js';
import type { Policy } from '../../core/policy/schema.js';
import { renderPortfolioCsv } from '../../core/render/portfolio/csv.js';
import { renderPortfolioHtml } from '../../core/render/portfolio/html.js';
import { renderPortfolioMarkdown } from '../../core/render/portfolio/markdown.js';

export const AUDIT_FORMATS = ['json', 'csv', 'markdown', 'html'] as const;
export type AuditFormat = (typeof AUDIT_FORMATS)[number];

/** The JSON an audit writes: the per-repository results (so shards can be merged) and the portfolio. */
export interface AuditFile {
  service_gate_audit: 1;
  results: AuditResults;
  portfolio: Portfolio;
}

export function portfolioOf(
  results: AuditResults,
  policy: Policy | undefined,
  now: string,
  previous?: AuditResults,
): Portfolio {
  const effective = effectivePolicy(policy);
  return buildPortfolio(results, {
    now,
    thresholds: effective.thresholds,
    maturity: policy?.maturity,
    governance: {
      locks: policy?.locks ?? [],
      forcedPacks: effective.packs.force,
      failureRules: Object.entries(effective.severity)
        .filter(([, level]) => level === 'failure')
        .map(([rule]) => rule),
    },
    waivers: effective.waivers,
    previous,
  });
}

/**
 * The report as chunks, so a 10,000-repository JSON report is written a repository at a time
 * rather than built as one string several hundred megabytes long.
 */
export function* renderAudit(
  results: AuditResults,
  portfolio: Portfolio,
  format: AuditFormat,
): Generator<string> {
  if (format !== 'json') {
    yield renderOther(results, portfolio, format);
    return;
  }
  const { repositories, ...rest } = results;
  yield `{"service_gate_audit":1,"portfolio":${JSON.stringify(portfolio)},"results":${JSON.stringify(rest).slice(0, -1)},"repositories":[\n`;
  for (let i = 0; i < repositories.length; i++) {
    const { evaluation: _evaluation, ...r } = repositories[i]!;
    yield `${JSON.stringify(r)}${i < repositories.length - 1 ? ',' : ''}\n`;
  }
  yield ']}}\n';
}

function renderOther(
  results: AuditResults,
  portfolio: Portfolio,
  format: Exclude<AuditFormat, 'json'>,
): string {
  switch (format) {
    case 'csv':
      return renderPortfolioCsv(results);
    case 'html':
      return renderPortfolioHtml(portfolio);
    default:
      return renderPortfolioMarkdown(portfolio);
  }
}

/** Reads one report written by `audit --format json`; throws a message naming the bad file. */
export function readAuditFile(path: string): AuditResults {
  let parsed: Partial<AuditFile>;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<AuditFile>;
  } catch (e) {
    throw new Error(`${path} is not readable JSON: ${(e as Error).message}`, { cause: e });
  }
  if (parsed.service_gate_audit !== 1 || !parsed.results)
    throw new Error(
      `${path} is not a Service Gate audit report; write one with: service-gate audit --format json`,
    );
  return parsed.results;
}

/**
 * Reads shard reports and merges them; unless `allowPartial`, shards of one audit must all be
 * there (PartialMergeError names the missing ones).
 */
export function readAuditFiles(
  paths: readonly string[],
  options: { allowPartial?: boolean } = {},
): AuditResults {
  return mergeResults(paths.map(readAuditFile), options);
}

export function parseShard(
  value: string | undefined,
): { index: number; count: number } | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(value);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || index < 1 || count < 1 || index > count)
    throw new Error(`--shard must be I/N with 1 ≤ I ≤ N, e.g. 2/4; got '${value}'.`);
  return { index, count };
}
