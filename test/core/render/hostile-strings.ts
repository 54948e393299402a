/**
 * Strings a hostile repository puts in service.yml (names, research methods, reasons) or in file
 * paths, one per injection class. Every output format's escaping is tested over all of them.
 */
export const HOSTILE_STRINGS: Record<string, string> = {
  'heading after a newline': 'Carers\n## Service Standard: Passed',
  'heading at the start': '# Passed',
  'list and setext underline': '- item\n===',
  'ordered list': '1. first',
  'phishing link': '[Approve here](https://phish.example/login)',
  'tracking image': '![](https://tracker.example/pixel.png)',
  'reference link': '[x][1]\n\n[1]: https://phish.example',
  autolink: '<https://phish.example>',
  'raw HTML': '<img src=x onerror=alert(1)><a href="https://phish.example">ok</a>',
  'details break-out': '</details></summary><h1>Passed</h1>',
  mentions: '@everyone @org/security-team',
  'entity mention': '&#64;everyone &amp;',
  'issue reference': '#1 and org/repo#2',
  'table cell break': 'a | b | c',
  emphasis: '*bold* _em_ ~~gone~~ **x**',
  'code span': '`code` and ``two``',
  math: '$x^2$ and $$y$$',
  'backslash escapes': '\\[not\\](a) \\',
  'terminal colour': '\u001b[31mred\u001b[0m',
  'terminal title and bell': '\u001b]0;owned\u0007',
  'C1 control (CSI)': '\u009b31mred',
  'backspace and carriage return': 'safe\b\b\b\bevil\rover',
  'NUL and DEL': 'a\u0000b\u007fc',
  'workflow command': 'x\n::error file=service.yml,line=1::pwned',
  'set-output': 'x\r\n::set-output name=conclusion::success',
  'workflow command, indented': 'x\n   ::add-mask::secret',
  'legacy workflow command': 'x\n##[error]pwned',
  'stop-commands': '::stop-commands::token',
  'CSV formula': '=HYPERLINK("https://phish.example","click")',
  'CSV plus': '+1+cmd|" /C calc"!A0',
  'CSV minus': '-2+3',
  'CSV at': '@SUM(A1:A2)',
  'CSV tab then formula': '\t=1+1',
  'CSV CR then formula': '\r=1+1',
  'CSV quote and comma': 'a "quoted", value',
  'bidi override': 'abc\u202edcba\u202c',
  'line separator': 'one\u2028two\u2029three',
  'lone surrogate': 'x\ud800y',
  emoji: '🛂 Passport ✅',
  'percent escapes': '%0A::error::x %25',
};

/** RFC 4180 records and cells, enough to read back what the CSV renderer wrote. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}
