import type { Log, ReportingDescriptor, Result } from 'sarif';
import type { Finding, Report } from '../report.js';
import type { Level } from '../levels.js';
import { escapeJson, escapeMarkdown, markdownLink, showControls } from './escape.js';
import { findingFingerprint } from './fingerprint.js';

const SARIF_LEVEL: Record<Level, Result.level> = {
  failure: 'error',
  warning: 'warning',
  notice: 'note',
};

export interface SarifOptions {
  /**
   * The service.yml judged: code scanning keeps one set of alerts per category, so each
   * service.yml of a monorepo needs its own (automationDetails.id).
   */
  manifestPath?: string;
}

/** SARIF 2.1.0 for GitHub code scanning: one result per finding, located in service.yml. */
export function renderSarif(
  report: Report,
  toolVersion: string,
  options: SarifOptions = {},
): string {
  const rules: ReportingDescriptor[] = [];
  const index = new Map<string, number>();
  for (const f of report.findings) {
    if (index.has(f.rule)) continue;
    index.set(f.rule, rules.length);
    rules.push(ruleDescriptor(f, report));
  }
  const manifest = options.manifestPath ?? 'service.yml';
  const log: Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Service Gate',
            informationUri: 'https://github.com/service-gate/service-gate',
            semanticVersion: toolVersion,
            rules,
          },
        },
        // Everything before the last "/" is the category.
        automationDetails: { id: `service-gate/${manifest}/` },
        results: report.findings.map((f) => ({
          ruleId: f.rule,
          ruleIndex: index.get(f.rule)!,
          level: SARIF_LEVEL[f.level],
          message: { text: showControls(f.fix ? `${f.message} Fix: ${f.fix}` : f.message) },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: f.file },
                region: { startLine: f.line, startColumn: f.column },
              },
            },
          ],
          partialFingerprints: { serviceGateFinding: findingFingerprint(f) },
          ...(f.also ? { properties: { also: f.also.map((a) => a.rule) } } : {}),
          ...(f.waived
            ? {
                suppressions: [
                  {
                    kind: 'external' as const,
                    justification: showControls(
                      `${f.waived.reason} (approved by ${f.waived.approved_by}, expires ${f.waived.expires})`,
                    ),
                  },
                ],
              }
            : {}),
        })),
      },
    ],
  };
  return `${escapeJson(log, 2)}\n`;
}

function ruleDescriptor(f: Finding, report: Report): ReportingDescriptor {
  const point = report.points.find((p) => p.standard === f.standard && p.point === f.point);
  const pointName = point
    ? `${point.standardTitle}, point ${point.point}: ${point.title}`
    : `${f.standard} ${f.point}`;
  return {
    id: f.rule,
    name: f.rule.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) =>
      c ? c.toUpperCase() : '',
    ),
    shortDescription: { text: f.title },
    fullDescription: { text: `${f.title} (${pointName}).` },
    helpUri: f.guidance,
    help: {
      text: `${f.title}. ${pointName}. Guidance: ${f.guidance}`,
      markdown: [
        `**${escapeMarkdown(f.title)}**`,
        '',
        escapeMarkdown(pointName),
        '',
        `${markdownLink('Guidance', f.guidance)} · explain it locally with \`npx service-gate explain ${f.rule}\``,
      ].join('\n'),
    },
    defaultConfiguration: { level: SARIF_LEVEL[f.level] },
    properties: { tags: [f.standard, `${f.standard}-${f.point}`] },
  };
}
