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

/** Named fields, so a message and its hint (both strings) cannot be swapped unnoticed. */
export function diagnostic(d: Diagnostic): Diagnostic {
  return {
    file: d.file,
    line: d.line,
    column: d.column,
    code: d.code,
    message: d.message,
    hint: d.hint,
  };
}

/** A diagnostic about a whole file (missing, too large, unreadable): placed at its first line. */
export function fileDiagnostic(d: Omit<Diagnostic, 'line' | 'column'>): Diagnostic {
  return diagnostic({ ...d, line: 1, column: 1 });
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.message} ${d.hint}`;
}
