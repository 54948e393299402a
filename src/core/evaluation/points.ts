import type { Finding, PointSummary } from '../report.js';
import type { Pack } from '../rules/pack.js';

/**
 * The per-point summary of the packs in use: how many rules checked each point, and what they
 * found. Held by standard, then point number, so each rule and finding is one lookup.
 */
export class PointTally {
  readonly #points = new Map<string, Map<number, PointSummary>>();

  constructor(packs: readonly Pack[]) {
    for (const pack of packs) {
      let standardPoints = this.#points.get(pack.standard.id);
      if (!standardPoints) this.#points.set(pack.standard.id, (standardPoints = new Map()));
      for (const [point, title] of Object.entries(pack.standard.points)) {
        standardPoints.set(Number(point), {
          standard: pack.standard.id,
          standardTitle: pack.standard.title,
          point: Number(point),
          title,
          checked: 0,
          failures: 0,
          warnings: 0,
          notices: 0,
          waived: 0,
        });
      }
    }
  }

  /** A rule of this point applied (whatever it found). */
  checked(standard: string, point: number): void {
    const summary = this.#points.get(standard)?.get(point);
    if (summary) summary.checked++;
  }

  /** Counts a finding against its point and every point it stands for (`also`). */
  found(f: Finding): void {
    for (const { standard, point, level } of [f, ...(f.also ?? [])]) {
      const summary = this.#points.get(standard)?.get(point);
      if (!summary) continue;
      if (f.waived) summary.waived++;
      else if (level === 'failure') summary.failures++;
      else if (level === 'warning') summary.warnings++;
      else summary.notices++;
    }
  }

  summaries(): PointSummary[] {
    return [...this.#points.values()].flatMap((byNumber) => [...byNumber.values()]);
  }
}
