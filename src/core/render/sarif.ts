import type { Log, ReportingDescriptor, Result } from 'sarif';
import type { Report } from '../report.js';
import type { Level } from '../levels.js';

const SARIF_LEVEL: Record<Level, Result.level> = {
  failure: 'error',
  warning: 'warning',
  notice: 'note',
};

/** SARIF 2.1.0 for GitHub code scanning: one result per finding, located in service.yml. */
export function renderSarif(report: Report, toolVersion: string): string {
  const rules: ReportingDescriptor[] = [];
  const index = new Map<string, number>();
  for (const f of report.findings) {
    if (index.has(f.rule)) continue;
    index.set(f.rule, rules.length);
    rules.push({
      id: f.rule,
      name: f.rule.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) =>
        c ? c.toUpperCase() : '',
      ),
      shortDescription: { text: f.title },
      helpUri: f.guidance,
      help: { text: `${f.title}. ${f.guidance}` },
      defaultConfiguration: { level: SARIF_LEVEL[f.level] },
      properties: { tags: [f.standard, `${f.standard}-${f.point}`] },
    });
  }
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
        results: report.findings.map((f) => ({
          ruleId: f.rule,
          ruleIndex: index.get(f.rule)!,
          level: SARIF_LEVEL[f.level],
          message: { text: f.fix ? `${f.message} Fix: ${f.fix}` : f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: f.file },
                region: { startLine: f.line, startColumn: f.column },
              },
            },
          ],
          partialFingerprints: { serviceGateFinding: `${f.rule}:${f.message}` },
          ...(f.also ? { properties: { also: f.also.map((a) => a.rule) } } : {}),
          ...(f.waived
            ? {
                suppressions: [
                  {
                    kind: 'external' as const,
                    justification: `${f.waived.reason} (approved by ${f.waived.approved_by}, expires ${f.waived.expires})`,
                  },
                ],
              }
            : {}),
        })),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
