const DAY_MS = 86_400_000;

/** Whole days from one date to another (negative when `to` is earlier); dates are YYYY-MM-DD or ISO. */
export function daysBetween(from: string, to: string): number {
  return Math.floor((Date.parse(to) - Date.parse(from)) / DAY_MS);
}
