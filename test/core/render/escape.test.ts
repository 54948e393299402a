import * as core from '@actions/core';
import MarkdownIt from 'markdown-it';
import { describe, expect, it, vi } from 'vitest';
import {
  escapeAnnotation,
  escapeCsvCell,
  escapeHtml,
  escapeJson,
  escapeMarkdown,
  escapeTerminal,
  markdownCode,
  markdownLink,
  showControls,
  workflowCommand,
} from '../../../src/core/render/escape.js';
import { HOSTILE_STRINGS } from './hostile-strings.js';

/** GitHub-flavoured markdown as far as injection goes: raw HTML allowed, tables, strikethrough. */
const md = new MarkdownIt({ html: true, linkify: false });
const CASES = Object.entries(HOSTILE_STRINGS);
const ZWSP = /\u200b/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const LINE_BREAK = /[\n\r\u2028\u2029\u0085]/;

const decode = (html: string) =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

/** The tags a markdown body renders to: hostile text must not add, remove or reorder any. */
const tags = (html: string) => html.match(/<\/?[a-z][a-z0-9]*/gi) ?? [];

/** RFC 4180, enough to read back what escapeCsvCell wrote. */
function parseCsvRow(line: string): string[] {
  const cells: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        value += line.slice(i, q);
        i = q + 1;
        if (line[i] === '"') {
          value += '"';
          i++;
        } else break;
      }
      cells.push(value);
      i++;
    } else {
      const comma = line.indexOf(',', i);
      const end = comma === -1 ? line.length : comma;
      cells.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return cells;
}

describe.each(CASES)('the hostile string "%s"', (_name, hostile) => {
  it('markdown: stays one paragraph of plain text, reads back as written, notifies no one', () => {
    const escaped = escapeMarkdown(hostile);
    expect(escaped).not.toMatch(LINE_BREAK);
    const html = md.render(`Service: ${escaped}`);
    expect(tags(html)).toEqual(['<p', '</p']);
    expect(decode(html).trim().replace(ZWSP, '')).toBe(
      `Service: ${showControls(hostile).trim()}`.trim(),
    );
    expect(decode(html)).not.toMatch(/@\w|#\d/);
  });

  it('markdown: keeps a table row to its cells', () => {
    const html = md.render(
      `| A | B |\n| - | - |\n| ${escapeMarkdown(hostile)} | ${markdownCode(hostile, { inTable: true })} |\n`,
    );
    expect(tags(html).filter((t) => t === '<td')).toHaveLength(2);
    expect(tags(html).filter((t) => !/^<\/?(table|thead|tbody|tr|th|td|code)$/.test(t))).toEqual(
      [],
    );
  });

  it('markdown: a code span shows the text as it is', () => {
    const html = md.render(`File: ${markdownCode(hostile)}`);
    expect(tags(html)).toEqual(['<p', '<code', '</code', '</p']);
    expect(decode(html.match(/<code>([\s\S]*)<\/code>/)![1]!).trim()).toBe(
      showControls(hostile).trim(),
    );
  });

  it('markdown: a link to a hostile URL is text, and a link with hostile text is one link', () => {
    expect(tags(md.render(markdownLink('guidance', hostile)))).toEqual(['<p', '</p']);
    const html = md.render(markdownLink(hostile, 'https://example.gov.uk/a(b)'));
    expect(tags(html)).toEqual(['<p', '<a', '</a', '</p']);
    expect(html).toContain('href="https://example.gov.uk/a%28b%29"');
  });

  it('terminal: no control character, line break or workflow-command opener', () => {
    const escaped = escapeTerminal(hostile);
    expect(escaped).not.toMatch(CONTROL);
    expect(escaped).not.toMatch(LINE_BREAK);
    expect(escaped).not.toContain('::');
    expect(escaped).not.toContain('##[');
    expect(escaped.replace(ZWSP, '')).toBe(showControls(hostile));
  });

  it('workflow commands: one line, escaped exactly as @actions/core escapes it', () => {
    const line = workflowCommand('warning', { title: hostile, file: hostile }, hostile);
    expect(line).not.toMatch(/[\r\n]/);
    const written: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    try {
      core.warning(hostile, { title: hostile, file: hostile });
    } finally {
      spy.mockRestore();
    }
    expect(written.join('').trimEnd()).toBe(line);
  });

  it('annotations: plain text with no control character or line break', () => {
    const escaped = escapeAnnotation(hostile);
    expect(escaped).not.toMatch(CONTROL);
    expect(escaped).not.toMatch(LINE_BREAK);
  });

  it('CSV: one cell that reads back as text a spreadsheet does not run', () => {
    const row = `${escapeCsvCell('before')},${escapeCsvCell(hostile)},${escapeCsvCell('after')}`;
    const cells = parseCsvRow(row);
    expect(cells).toHaveLength(3);
    expect(cells[1]).not.toMatch(/^[=+\-@\t\r\n]/);
    expect(cells[1]!.replace(/^'(?=[=+\-@\t\r\n])/, '')).toBe(hostile);
  });

  it('HTML: text only, reads back as written', () => {
    const escaped = escapeHtml(hostile);
    expect(escaped).not.toMatch(/[<>"']/);
    expect(escaped).not.toMatch(CONTROL);
    expect(decode(escaped)).toBe(showControls(hostile, '\n'));
  });

  it('JSON and SARIF: parses back to the same string, with no raw control character', () => {
    const json = escapeJson({ text: hostile });
    expect(json).not.toMatch(CONTROL);
    expect(JSON.parse(json)).toEqual({ text: hostile });
  });
});

describe('escaping details', () => {
  it('draws control characters visibly instead of dropping them', () => {
    expect(escapeTerminal('a\u001b[31mb')).toBe('a\\x1b[31mb');
    expect(escapeMarkdown('a\u202eb')).toBe('a\\u202eb'.replace('\\', '\\\\'));
  });

  it('neutralises spreadsheet formulas, including after a tab or carriage return', () => {
    expect(escapeCsvCell('=1+1')).toBe("'=1+1");
    expect(escapeCsvCell('\t=1+1')).toBe("'\t=1+1");
    expect(escapeCsvCell('\r=1+1')).toBe(`"'\r=1+1"`);
    expect(escapeCsvCell(-3)).toBe('-3');
    expect(escapeCsvCell('Carers')).toBe('Carers');
  });
});
