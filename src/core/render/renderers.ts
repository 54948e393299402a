import type { Report } from '../report.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif } from './sarif.js';
import { renderText } from './text.js';

/** What a shell knows about where a report is shown; each renderer reads what it needs. */
export interface RenderOptions {
  /** Service Gate's version, named as the tool in SARIF. */
  toolVersion: string;
  /** ANSI colour in the terminal (text). */
  color?: boolean;
  /** Prefix that turns a finding's file:line into a link (markdown). */
  blobUrl?: string;
  /** Leave notices out, as a pull request comment does (markdown). */
  hideNotices?: boolean;
  /** Wrap at this many columns with a hanging indent (text; the terminal's width). */
  width?: number;
  /** The most UTF-8 bytes the output may take (markdown; see GITHUB_LIMITS). */
  maxBytes?: number;
  /** Where every finding can be read when some are left out to fit (markdown). */
  fullReportUrl?: string;
  /** The service.yml judged: one code-scanning category per file (SARIF). */
  manifestPath?: string;
}

/**
 * Every report format, in one table: the CLI's --format, the App's check run and comment and the
 * Action's summary, report file and SARIF all render through it, so a format means one thing.
 */
export const RENDERERS = {
  text: (report, o) => renderText(report, { color: o.color, width: o.width }),
  markdown: (report, o) =>
    renderMarkdown(report, {
      blobUrl: o.blobUrl,
      hideNotices: o.hideNotices,
      maxBytes: o.maxBytes,
      fullReportUrl: o.fullReportUrl,
    }),
  json: (report) => renderJson(report),
  sarif: (report, o) => renderSarif(report, o.toolVersion, { manifestPath: o.manifestPath }),
} as const satisfies Record<string, (report: Report, options: RenderOptions) => string>;

export type ReportFormat = keyof typeof RENDERERS;
export const REPORT_FORMATS = Object.keys(RENDERERS) as ReportFormat[];

export function renderReport(report: Report, format: ReportFormat, options: RenderOptions): string {
  return RENDERERS[format](report, options);
}
