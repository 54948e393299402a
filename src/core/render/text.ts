import { styleText } from 'node:util';
import { countByLevel, type Finding, type Report } from '../report.js';
import type { Level } from '../levels.js';
import { escapeTerminal } from './escape.js';
import { groupFindings, type FindingGroup } from './group.js';
import { alsoPoints, CONCLUSION_LABEL, countsSentence, plural } from './labels.js';

type Style = Parameters<typeof styleText>[0];

export interface TextOptions {
  /** ANSI colour and bold (the CLI asks on a TTY). */
  color?: boolean;
  /** Wrap at this many columns with a hanging indent (the terminal's width); no wrapping if unset. */
  width?: number;
}

const SECTION: Record<Level, string> = {
  failure: 'Failures: fix these first',
  warning: 'Warnings',
  notice: 'Notices',
};
const ITEMS_SHOWN = 10;

/**
 * Terminal output in the order a reader acts on it: the verdict and counts, approvals needed,
 * failures with their fixes, then warnings and notices. Every value from the repository goes
 * through escapeTerminal, so none can run an escape sequence or a workflow command.
 */
export function renderText(report: Report, options: TextOptions = {}): string {
  const paint = (style: Style, s: string) => (options.color ? styleText(style, s) : s);
  const width = options.width && options.width >= 40 ? options.width : undefined;
  const out: string[] = [];
  /** One logical line, wrapped at the width with `hang` spaces before each continuation. */
  const line = (indent: number, hang: number, text: string, style?: Style) => {
    for (const [i, piece] of wrap(text, width ? width - indent : undefined, hang).entries())
      out.push(
        ' '.repeat(indent) +
          (i === 0 ? '' : ' '.repeat(hang)) +
          (style ? paint(style, piece) : piece),
      );
  };

  const counts = countByLevel(report.findings);
  const title = report.service
    ? `${escapeTerminal(report.service.name)} (${report.service.phase})`
    : 'service.yml';
  const verdict = {
    success: 'green',
    failure: 'red',
    action_required: 'yellow',
    neutral: 'gray',
  } as const;
  out.push(
    `${paint('bold', title)}: ${paint([verdict[report.conclusion], 'bold'], CONCLUSION_LABEL[report.conclusion])}`,
  );
  line(0, 0, `${countsSentence(counts)}.`);
  if (report.transition)
    line(0, 2, `Phase change: ${report.transition.from} → ${report.transition.to}`);
  for (const gate of report.approvals.required)
    line(0, 2, `${paint(['yellow', 'bold'], 'Approval needed:')} ${escapeTerminal(gate.reason)}`);

  const groups = groupFindings(report.findings);
  const pointOf = (f: Finding) => {
    const point = report.points.find((p) => p.standard === f.standard && p.point === f.point);
    return point
      ? `${point.standardTitle} ${point.point}`
      : f.standard === 'service-gate'
        ? 'Service Gate'
        : `${f.standard} ${f.point}`;
  };
  const LEVEL: Record<Level, string> = {
    failure: paint(['red', 'bold'], 'fail'),
    warning: paint(['yellow', 'bold'], 'warn'),
    notice: paint('cyan', 'note'),
  };
  const sections: [string, FindingGroup[]][] = [
    ...(['failure', 'warning', 'notice'] as const).map(
      (level) =>
        [SECTION[level], groups.filter((g) => g.level === level && !g.first.waived)] as [
          string,
          FindingGroup[],
        ],
    ),
    ['Waived', groups.filter((g) => g.first.waived)],
  ];
  for (const [heading, list] of sections) {
    if (list.length === 0) continue;
    out.push('', paint('bold', heading));
    for (const g of list) {
      const f = g.first;
      const level = f.waived ? paint('blue', 'waiv') : LEVEL[f.level];
      line(2, 5, `${level} ${escapeTerminal(f.title)}${g.size > 1 ? ` (${g.size})` : ''}`);
      const sameFix = g.items.every((i) => i.fix === f.fix);
      for (const item of g.items.slice(0, ITEMS_SHOWN)) {
        line(
          7,
          2,
          `${escapeTerminal(item.file)}:${item.line}:${item.column} ${escapeTerminal(item.message)}`,
        );
        if (!sameFix && item.fix) line(7, 5, paint('bold', `fix: ${escapeTerminal(item.fix)}`));
      }
      if (g.size > ITEMS_SHOWN)
        line(7, 2, `…and ${plural(g.size - ITEMS_SHOWN, 'more finding')} of this rule`);
      if (sameFix && f.fix) line(7, 5, `${paint('bold', 'fix:')} ${escapeTerminal(f.fix)}`);
      const also = alsoPoints(f, report);
      if (also) line(7, 6, `also: ${escapeTerminal(also)}`);
      if (f.waived)
        line(
          7,
          2,
          `waived until ${escapeTerminal(f.waived.expires)} by ${escapeTerminal(f.waived.approved_by)}: ${escapeTerminal(f.waived.reason)}`,
        );
      line(7, 2, paint('gray', escapeTerminal(`${pointOf(f)} · ${f.rule}`)));
    }
  }
  if (report.packs.length > 0) {
    const checks = report.points.reduce((n, p) => n + p.checked, 0);
    out.push('');
    line(
      0,
      2,
      paint(
        'dim',
        `${plural(checks, 'check')} from ${escapeTerminal(report.packs.map((p) => p.title).join(', '))}. Details of a rule: service-gate explain RULE`,
      ),
    );
  }
  return `${out.join('\n')}\n`;
}

/**
 * Splits at spaces so each piece fits `width` (the first) or `width - hang` (the rest), counting
 * characters outside ANSI escapes. A word longer than a line stays whole.
 */
export function wrap(text: string, width: number | undefined, hang: number): string[] {
  if (!width) return [text];
  const words = text.split(' ');
  const pieces: string[] = [];
  let current = '';
  let currentWidth = 0;
  for (const word of words) {
    const w = visibleWidth(word);
    const room = (pieces.length === 0 ? width : width - hang) - currentWidth;
    if (current && w + 1 > room) {
      pieces.push(current);
      current = word;
      currentWidth = w;
    } else {
      current = current ? `${current} ${word}` : word;
      currentWidth += (currentWidth ? 1 : 0) + w;
    }
  }
  pieces.push(current);
  return pieces;
}

function visibleWidth(s: string): number {
  // eslint-disable-next-line no-control-regex
  return [...s.replace(/\u001b\[[0-9;]*m/g, '')].length;
}
