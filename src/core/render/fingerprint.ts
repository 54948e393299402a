import { createHash } from 'node:crypto';
import type { Finding } from '../report.js';

/**
 * A finding's identity from one day to the next: its rule, its file and the stable key of what
 * it is about (a missing KPI, a research round), never its message, which can say "944 days
 * ago" today and "945 days ago" tomorrow. The line is used only for findings with no key
 * (problems in the file itself), since a line moves whenever something above it is edited.
 */
export function findingIdentity(f: Finding): string {
  return JSON.stringify([f.rule, f.file, f.key ?? `${f.line}:${f.column}`]);
}

export function findingFingerprint(f: Finding): string {
  return hash(findingIdentity(f));
}

/**
 * The set of failures and warnings that are not waived, as one hash: what a drift issue tracks.
 * A finding that changes level changes it; a message that only ages does not.
 */
export function driftFingerprint(findings: readonly Finding[]): {
  fingerprint: string;
  count: number;
} {
  const lines = findings
    .filter((f) => !f.waived && f.level !== 'notice')
    .map((f) => `${f.level} ${findingIdentity(f)}`)
    .sort();
  return { fingerprint: hash(lines.join('\n')), count: lines.length };
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
