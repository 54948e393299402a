import { markdownTable } from 'markdown-table';
import type { Portfolio } from '../../audit/portfolio.js';
import { escapeMarkdown as escape } from '../escape.js';
import { portfolioSections, portfolioSummary } from './sections.js';

export function renderPortfolioMarkdown(p: Portfolio): string {
  const out = [
    `# Service portfolio: ${escape(p.organisations.join(', '))}`,
    '',
    `Generated ${escape(p.generated_at)}${p.shard ? ` (shard ${escape(p.shard)})` : ''}. ${portfolioSummary(p)}`,
  ];
  for (const section of portfolioSections(p)) {
    const blocks = section.tables.map((t) =>
      t.rows.length
        ? markdownTable([t.head, ...t.rows.map((r) => r.map((v) => escape(String(v))))], {
            alignDelimiters: false,
          })
        : `${t.caption}: none.`,
    );
    if (section.list)
      blocks.push(
        section.list.length ? section.list.map((item) => `- ${escape(item)}`).join('\n') : 'None.',
      );
    out.push('', `## ${section.title}`, '', blocks.join('\n\n'));
  }
  return `${out.join('\n').trimEnd()}\n`;
}
