const DAY_MS = 86_400_000;

/** Milliseconds since the epoch of a date (YYYY-MM-DD, as UTC midnight) or a timestamp. */
export function dateMs(s: string): number {
  return Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s);
}

/**
 * Whole days from one date to another (negative when `to` is earlier); dates are YYYY-MM-DD or
 * RFC 3339 timestamps, and an unreadable one counts as no days at all.
 */
export function daysBetween(from: string, to: string): number {
  const a = dateMs(from);
  const b = dateMs(to);
  if (Number.isNaN(a) || Number.isNaN(b)) return 0;
  return Math.floor((b - a) / DAY_MS);
}
