/** How serious a finding is, most serious first; a policy may also turn a rule `off`. */
export const LEVELS = ['failure', 'warning', 'notice'] as const;
export type Level = (typeof LEVELS)[number];
export type LevelOrOff = Level | 'off';

const RANK: Record<LevelOrOff, number> = { off: 0, notice: 1, warning: 2, failure: 3 };

/** Higher is more serious; anything that is not a level ranks below `off`. */
export function severityRank(level: string): number {
  return Object.hasOwn(RANK, level) ? RANK[level as LevelOrOff] : -1;
}
