/**
 * A problem in an input file that a person must fix: always with a place and a fix hint,
 * so every shell can show it as an annotation or a terminal line.
 */
export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  /** Stable machine-readable code, e.g. `yaml/duplicate-key` or `manifest/unknown-key`. */
  code: string;
  message: string;
  hint: string;
}

export function diagnostic(
  file: string,
  line: number,
  column: number,
  code: string,
  message: string,
  hint: string,
): Diagnostic {
  return { file, line, column, code, message, hint };
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.message} ${d.hint}`;
}

/** Typed error for input a shell cannot go on with; carries the diagnostics that explain it. */
export class InputError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'InputError';
  }
}
