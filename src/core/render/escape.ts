/**
 * One escaping function per place our output is shown. Everything a repository writes (names,
 * research methods, file paths, reasons) and everything derived from it (messages) goes through
 * the function of the format it is printed in, so that no value can add markup, run a terminal
 * escape sequence, issue a workflow command, run a spreadsheet formula or mention people.
 *
 * The tests run one table of hostile strings through every function here.
 */

/**
 * Control characters (C0 but tab, DEL, C1), line and paragraph separators, and the bidirectional
 * overrides and isolates (which reorder how text reads, "Trojan Source") — drawn visibly.
 */
const INVISIBLE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
const HAS_INVISIBLE = new RegExp(INVISIBLE.source);
const LINE_BREAK = /\r\n|[\n\r]/g;

function visible(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Control characters drawn as `\x1b`, line breaks as `newline` (default: a space), and a lone
 * surrogate (which no encoding can write) as U+FFFD, as GitHub would store it.
 */
export function showControls(text: string, newline = ' '): string {
  return text
    .replace(LINE_BREAK, newline)
    .replace(/\t/g, ' ')
    .replace(INVISIBLE, visible)
    .replace(LONE_SURROGATE, '\ufffd');
}

/** At most `max` characters (never splitting a surrogate pair), marked with "…" when cut. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

/**
 * GitHub-flavoured markdown, inline: one line that adds no markup. Line breaks become spaces (so
 * no value starts a heading, list or table row); every ASCII punctuation mark GitHub reads as
 * markup is backslash-escaped (links, images, emphasis, HTML, tables, entities, math, code);
 * mentions and issue references (`@team`, `#12`, `org/repo#12`) are broken with a zero-width
 * space so no one is notified and no other issue is linked.
 */
export function escapeMarkdown(text: string): string {
  return (
    showControls(text)
      // Space next to `**` or `_` would stop it being emphasis around the value.
      .trim()
      // Parentheses and `!` need no escape: without `[` and `]` they open no link or image.
      .replace(/[\\`*_[\]|<>~&$]/g, '\\$&')
      // A heading, list marker, setext underline or ordered-list number where a value starts a line.
      .replace(/^[-+=#]/, '\\$&')
      .replace(/^(\d+)\./, '$1\\.')
      .replace(/@(?=[\w-])/g, '@\u200b')
      .replace(/#(?=\d)/g, '#\u200b')
  );
}

/**
 * Markdown code span: the text shown as it is (file paths, rule ids). The fence is one backtick
 * longer than the longest run inside, so no value closes it early.
 */
export function markdownCode(text: string, options: { inTable?: boolean } = {}): string {
  // In a table, GitHub splits cells before it reads code spans, so `|` needs its backslash there.
  const inner = options.inTable ? showControls(text).replace(/\|/g, '\\|') : showControls(text);
  const longest = Math.max(0, ...(inner.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = inner.startsWith('`') || inner.endsWith('`') || longest > 0 ? ' ' : '';
  return `${fence}${pad}${inner}${pad}${fence}`;
}

/** An http(s) URL safe to put in a markdown link or an HTML href, or undefined. */
export function safeUrl(url: string): string | undefined {
  if (!/^https?:\/\/[^\s]+$/i.test(url) || HAS_INVISIBLE.test(url)) return undefined;
  // Parentheses, brackets, quotes and angle brackets would end the link (or the attribute).
  return url.replace(/[()[\]<>"'`\\ ]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** A markdown link to `url`, or the escaped text alone when the URL is not http(s). */
export function markdownLink(text: string, url: string): string {
  const href = safeUrl(url);
  return href ? `[${escapeMarkdown(text)}](${href})` : escapeMarkdown(text);
}

/**
 * Terminal text: control characters (ESC sequences, bell, backspace, carriage return) drawn
 * visibly, line breaks as spaces, and the GitHub Actions workflow-command openers `::` and
 * `##[` broken with a zero-width space. The runner reads a command from any log line whose
 * first non-blank characters open one, so indenting the line would not be enough.
 */
export function escapeTerminal(text: string): string {
  return showControls(text)
    .replace(/:(?=:)/g, ':\u200b')
    .replace(/#(?=#\[)/g, '#\u200b');
}

/** A workflow command's message, as @actions/core escapes it (`%`, CR and LF). */
export function escapeCommandData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A workflow command's property value, as @actions/core escapes it (also `:` and `,`). */
export function escapeCommandProperty(text: string): string {
  return escapeCommandData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * One GitHub Actions workflow command line, e.g. `::error file=service.yml,line=3::message`.
 * Properties with undefined values are left out.
 */
export function workflowCommand(
  command: string,
  properties: Record<string, string | number | undefined>,
  message: string,
): string {
  const props = Object.entries(properties)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${escapeCommandProperty(String(v))}`)
    .join(',');
  return `::${command}${props ? ` ${props}` : ''}::${escapeCommandData(message)}`;
}

/**
 * One line of an annotation's plain text (check-run annotations, Action annotations): GitHub
 * shows it as text, so control characters are drawn and line breaks become spaces (the caller
 * joins lines). @actions/core then applies escapeCommandData's escaping in the Action.
 */
export function escapeAnnotation(text: string): string {
  return showControls(text);
}

/**
 * One CSV cell (RFC 4180), safe to open in a spreadsheet: a cell that starts with `=`, `+`, `-`,
 * `@`, a tab or a carriage return (which spreadsheets skip before reading a formula) gets a
 * leading `'`, so it is read as text.
 */
export function escapeCsvCell(value: string | number): string {
  const text = String(value);
  const safe = typeof value === 'string' && /^[=+\-@\t\r\n]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** HTML text or attribute value (quoted), with control characters drawn visibly. */
export function escapeHtml(value: unknown): string {
  return showControls(String(value), '\n').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/**
 * JSON (and SARIF). JSON.stringify escapes C0 controls and lone surrogates; DEL, C1 controls,
 * line separators and bidirectional controls it leaves raw, so those are written as \u escapes
 * too (the same JSON value, nothing invisible in a viewer).
 */
export function escapeJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(
    /[\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
