/**
 * GitHub's size limits for what Service Gate writes, in UTF-8 bytes (GitHub counts bytes, so a
 * body of emoji and accented names reaches the limit well before its length in characters).
 */
export const GITHUB_LIMITS = {
  /** A check run's output.summary (and output.text). */
  checkSummary: 65_535,
  /** An issue or pull-request comment body. */
  comment: 65_536,
  /** An issue body (drift issues). */
  issueBody: 65_536,
  /** A GitHub Actions job summary ($GITHUB_STEP_SUMMARY) per step. */
  jobSummary: 1_048_576,
  /** A check-run annotation's message. */
  annotationMessage: 65_535,
} as const;

const encoder = new TextEncoder();

export function utf8Bytes(text: string): number {
  // TextEncoder replaces a lone surrogate with U+FFFD (3 bytes), as GitHub will see it.
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

/** The longest prefix of `text` within `maxBytes`, cut at a line break when there is one. */
export function cutToBytes(text: string, maxBytes: number, atLine = true): string {
  if (utf8Bytes(text) <= maxBytes) return text;
  const bytes = encoder.encode(text).subarray(0, maxBytes);
  let prefix = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  // A multi-byte character cut in half decodes as U+FFFD: drop it.
  if (prefix.endsWith('\ufffd')) prefix = prefix.slice(0, -1);
  while (utf8Bytes(prefix) > maxBytes) prefix = prefix.slice(0, -1);
  if (!atLine) return prefix;
  const line = prefix.lastIndexOf('\n');
  return line > 0 ? prefix.slice(0, line + 1) : prefix;
}
