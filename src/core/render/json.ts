import { type Report, toJsonReport } from '../report.js';
import { escapeJson } from './escape.js';

/** `--format json`: the documented contract (`JsonReport` in core/report.ts), indented. */
export function renderJson(report: Report): string {
  return `${escapeJson(toJsonReport(report), 2)}\n`;
}
