import { type Report, toJsonReport } from '../report.js';

/** `--format json`: the documented contract (`JsonReport` in core/report.ts), indented. */
export function renderJson(report: Report): string {
  return `${JSON.stringify(toJsonReport(report), null, 2)}\n`;
}
