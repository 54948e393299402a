import picomatch from 'picomatch';
import type { Finding } from '../report.js';
import { daysBetween } from '../days.js';
import type { EffectivePolicy } from '../policy/effective.js';
import type { Level } from '../levels.js';
import type { Waiver } from '../policy/schema.js';

/**
 * Waivers come only from central policy files (merge.ts). A waiver with no `repos` covers every
 * repository the policy judges; a glob with a slash matches owner/name, one without matches the
 * repository's name, so `*` is every repository. Judged without a repository name (a local
 * `check`), only waivers that cover every repository apply.
 */
export function waiverCovers(
  waiver: Waiver,
  rule: string,
  repository: string | undefined,
): boolean {
  if (!picomatch.isMatch(rule, waiver.rule)) return false;
  if (!waiver.repos) return true;
  return waiver.repos.some((glob) => {
    if (repository === undefined) return glob === '*' || glob === '**' || glob === '*/*';
    const name = glob.includes('/') ? repository : repository.slice(repository.indexOf('/') + 1);
    return picomatch.isMatch(name, glob, { nocase: true });
  });
}

export interface WaiverContext {
  policy: Pick<EffectivePolicy, 'waivers' | 'maxWaiverDays' | 'thresholds'>;
  repository: string | undefined;
  now: string;
  /** Where waiver findings are shown: the manifest. */
  file: string;
}

/**
 * Marks the findings a current waiver covers as waived. An expired waiver, or one that runs
 * longer than `max_waiver_days` from today, waives nothing and is a finding itself; one close
 * to its expiry warns. Each waiver is reported once.
 */
export function applyWaivers(findings: readonly Finding[], context: WaiverContext): Finding[] {
  const { policy, repository, now, file } = context;
  if (policy.waivers.length === 0) return [...findings];
  const out: Finding[] = [];
  const reported = new Set<Waiver>();
  const reportOnce = (waiver: Waiver, finding: () => Finding) => {
    if (reported.has(waiver)) return;
    reported.add(waiver);
    out.push(finding());
  };
  for (const f of findings) {
    const waiver = policy.waivers.find((w) => waiverCovers(w, f.rule, repository));
    if (!waiver) {
      out.push(f);
      continue;
    }
    const daysLeft = daysBetween(now, waiver.expires);
    if (daysLeft < 0) {
      out.push(f);
      reportOnce(waiver, () =>
        waiverFinding('waiver/expired', 'failure', file, {
          message: `The waiver for '${waiver.rule}' expired on ${waiver.expires}; the finding it covered applies again.`,
          fix: `Fix the finding, or ask ${waiver.approved_by} to renew the waiver in the central policy.`,
        }),
      );
      continue;
    }
    if (daysLeft > policy.maxWaiverDays) {
      out.push(f);
      reportOnce(waiver, () =>
        waiverFinding('waiver/too-long', 'failure', file, {
          message: `The waiver for '${waiver.rule}' runs to ${waiver.expires}, ${daysLeft} days from now; the policy allows at most ${policy.maxWaiverDays} (max_waiver_days), so it waives nothing.`,
          fix: `Ask ${waiver.approved_by} to give the waiver an expiry date at most ${policy.maxWaiverDays} days away, in the central policy.`,
        }),
      );
      continue;
    }
    out.push({
      ...f,
      waived: { reason: waiver.reason, approved_by: waiver.approved_by, expires: waiver.expires },
    });
    if (daysLeft <= policy.thresholds.waiver_expiry_warning_days)
      reportOnce(waiver, () =>
        waiverFinding('waiver/expiring', 'warning', file, {
          message: `The waiver for '${waiver.rule}' expires on ${waiver.expires} (in ${daysLeft} days).`,
          fix: `Fix the finding, or ask ${waiver.approved_by} to renew the waiver in the central policy.`,
        }),
      );
  }
  return out;
}

function waiverFinding(
  rule: string,
  level: Level,
  file: string,
  text: { message: string; fix: string },
): Finding {
  return {
    rule,
    title: 'Waivers are current',
    level,
    standard: 'service-gate',
    point: 2,
    message: text.message,
    fix: text.fix,
    guidance: 'https://github.com/service-gate/service-gate#waivers',
    file,
    line: 1,
    column: 1,
    gate: false,
  };
}
