/**
 * A value from an input file as an error message may quote it: JSON-escaped (so no newline,
 * control character or quote escapes the message) and cut to a short prefix with its length,
 * so a file that holds a secret where a setting should be never has the secret echoed.
 */
export const EXCERPT_CHARS = 24;

export function excerpt(value: unknown, max = EXCERPT_CHARS): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  // JSON leaves U+2028/2029 and the C1 controls alone; some viewers break lines at them.
  text = text.replace(
    /[\u0080-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(1, max - 12))}… (${text.length} characters)`;
}
