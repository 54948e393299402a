import picomatch from 'picomatch';
import { daysBetween } from '../days.js';
import type { Level } from '../levels.js';
import type { Waiver } from '../policy/schema.js';
import type { Finding } from '../report.js';

/**
 * Waivers from the central policy: a current one marks the findings it covers as waived (and
 * warns as it nears expiry); an expired one leaves them standing and says so, once.
 */
export interface WaiverContext {
  waivers: readonly Waiver[];
  /** owner/name; undefined (the CLI) matches only waivers for every repository. */
  repository: string | undefined;
  now: string;
  /** Warn this many days before a waiver expires. */
  warnDays: number;
  /** Where waiver findings are placed: the service.yml judged. */
  file: string;
}

export function applyWaivers(
  findings: Finding[],
  { waivers, repository, now, warnDays, file }: WaiverContext,
): Finding[] {
  if (waivers.length === 0) return findings;
  const out: Finding[] = [];
  const reported = new Set<Waiver>();
  for (const f of findings) {
    const waiver = waivers.find(
      (w) =>
        picomatch.isMatch(f.rule, w.rule) &&
        (repository === undefined
          ? w.repos.includes('*')
          : w.repos.some((g) => picomatch.isMatch(repository, g, { nocase: true }))),
    );
    if (!waiver) {
      out.push(f);
      continue;
    }
    if (waiver.expires < now) {
      out.push(f);
      if (!reported.has(waiver)) {
        reported.add(waiver);
        out.push(
          waiverFinding({
            rule: 'waiver/expired',
            level: 'failure',
            waiver,
            file,
            message: `The waiver for '${waiver.rule}' expired on ${waiver.expires}; the finding it covered applies again.`,
          }),
        );
      }
      continue;
    }
    out.push({
      ...f,
      waived: { reason: waiver.reason, approved_by: waiver.approved_by, expires: waiver.expires },
    });
    const daysLeft = daysBetween(now, waiver.expires);
    if (daysLeft <= warnDays && !reported.has(waiver)) {
      reported.add(waiver);
      out.push(
        waiverFinding({
          rule: 'waiver/expiring',
          level: 'warning',
          waiver,
          file,
          message: `The waiver for '${waiver.rule}' expires on ${waiver.expires} (in ${daysLeft} days).`,
        }),
      );
    }
  }
  return out;
}

function waiverFinding({
  rule,
  level,
  waiver: w,
  file,
  message,
}: {
  rule: string;
  level: Level;
  waiver: Waiver;
  file: string;
  message: string;
}): Finding {
  return {
    rule,
    title: 'Waivers are current',
    level,
    standard: 'service-gate',
    point: 2,
    message,
    fix: `Fix the finding, or ask ${w.approved_by} to renew the waiver in the central policy.`,
    guidance: 'https://github.com/service-gate/service-gate#waivers',
    file,
    line: 1,
    column: 1,
    gate: false,
  };
}
