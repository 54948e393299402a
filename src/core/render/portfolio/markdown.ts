import { markdownTable } from 'markdown-table';
import type { Portfolio } from '../../audit/portfolio.js';
import { escapeMarkdown as escape, markdownLink } from '../escape.js';
import {
  type Cell,
  partialWarning,
  portfolioHeadline,
  portfolioSections,
  portfolioSummary,
} from './sections.js';

const cell = (v: Cell) =>
  typeof v === 'object' ? markdownLink(v.text, v.href) : escape(String(v));

export function renderPortfolioMarkdown(p: Portfolio): string {
  const warning = partialWarning(p);
  const out = [
    `# Service portfolio: ${escape(p.organisations.join(', ') || 'local folders')}`,
    '',
    ...(warning ? [`> **${escape(warning)}**`, ''] : []),
    `**${escape(portfolioHeadline(p))}**`,
    '',
    `Generated ${escape(p.generated_at)}${p.shard ? ` (shard ${escape(p.shard)})` : ''}. ${escape(portfolioSummary(p))}`,
  ];
  for (const section of portfolioSections(p)) {
    const blocks = section.tables.map((t) =>
      t.rows.length
        ? markdownTable([t.head, ...t.rows.map((r) => r.map(cell))], { alignDelimiters: false })
        : `${escape(t.caption)}: none.`,
    );
    if (section.list)
      blocks.push(
        section.list.length ? section.list.map((item) => `- ${escape(item)}`).join('\n') : 'None.',
      );
    out.push('', `## ${escape(section.title)}`, '', blocks.join('\n\n'));
  }
  return `${out.join('\n').trimEnd()}\n`;
}
