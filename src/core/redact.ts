/**
 * Removes credentials from text that is about to be logged or shown (error messages from
 * GitHub, git or a network library can quote a URL, a header or a token). Applied to every
 * error message Service Gate logs or writes into a check run, summary or terminal.
 */

const REDACTED = '[redacted]';

/** Each pattern keeps its first group (the label) and replaces the secret after it. */
const PATTERNS: readonly RegExp[] = [
  // Authorization schemes: "Bearer x", "token x", "Basic dXNlcjpwYXNz".
  /\b(bearer|token|basic)\s+[A-Za-z0-9._~+/=-]{4,}/gi,
  // Credentials in a URL: https://user:ghs_xxx@github.com/... or https://ghs_xxx@...
  /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@:]*(?::[^\s/@]*)?@/gi,
  // name=value pairs and query parameters that carry secrets: token=, access_token=, password=.
  /\b([\w-]*(?:token|secret|password|passwd|api[_-]?key)\s*[=:]\s*)[^\s&;,"'<>]+/gi,
];

/** GitHub's token formats, recognised wherever they appear, even with no label. */
const GITHUB_TOKEN = /\b(?:gh[opsur]_[A-Za-z0-9_]+|github_pat_[A-Za-z0-9_]+)/g;

export function redactSecrets(text: string): string {
  let out = text.replace(GITHUB_TOKEN, REDACTED);
  for (const pattern of PATTERNS) out = out.replace(pattern, `$1${REDACTED}`);
  return out;
}
