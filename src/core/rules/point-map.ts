import type { Pack } from './pack.js';

export const NEEDS_ATTESTATION = 'needs human attestation';

/**
 * Every point of every standard the packs transcribe, with the rules that check it (rules of
 * other packs that check the same gap under another standard are listed with their own
 * standard), or "needs human attestation" where no repository evidence can show it. The README
 * carries this table, and a test keeps the two the same.
 */
export function pointMapTable(packs: readonly Pack[]): string {
  const rows = ['| Standard | Point | Checked by |', '| --- | --- | --- |'];
  for (const pack of [...packs].sort((a, b) => a.id.localeCompare(b.id))) {
    for (const [point, title] of Object.entries(pack.standard.points).sort(
      ([a], [b]) => Number(a) - Number(b),
    )) {
      const rules = pack.rules
        .filter((r) => r.standard === pack.standard.id && String(r.point) === point)
        .map((r) => `\`${r.id}\``);
      rows.push(
        `| ${pack.standard.title} | ${point} ${title} | ${rules.length ? rules.join(', ') : (pack.standard.checked_in_code?.[point] ?? NEEDS_ATTESTATION)} |`,
      );
    }
  }
  return rows.join('\n');
}
