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
      const standard = pack.standard.id;
      const standardTitle = pack.standard.title;
      for (const { point, title } of pointsOf(pack)) {
        standardPoints.set(point, {
          standard,
          standardTitle,
          point,
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
    this.#count(f, f);
    if (f.also) for (const also of f.also) this.#count(f, also);
  }

  #count(f: Finding, { standard, point, level }: Pick<Finding, 'standard' | 'point' | 'level'>) {
    const summary = this.#points.get(standard)?.get(point);
    if (!summary) return;
    if (f.waived) summary.waived++;
    else if (level === 'failure') summary.failures++;
    else if (level === 'warning') summary.warnings++;
    else summary.notices++;
  }

  summaries(): PointSummary[] {
    const out: PointSummary[] = [];
    for (const byNumber of this.#points.values()) for (const s of byNumber.values()) out.push(s);
    return out;
  }
}

/** A pack's points with their numbers parsed, once per pack (packs do not change). */
const parsedPoints = new WeakMap<Pack, readonly { point: number; title: string }[]>();

function pointsOf(pack: Pack): readonly { point: number; title: string }[] {
  let points = parsedPoints.get(pack);
  if (!points) {
    points = Object.entries(pack.standard.points).map(([point, title]) => ({
      point: Number(point),
      title,
    }));
    parsedPoints.set(pack, points);
  }
  return points;
}
