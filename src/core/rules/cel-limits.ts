import { CelScalar, celMethod, type CelFunc } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';

/**
 * Size limits inside CEL. Rules are the central unit's, but what they run over is the
 * repository's: `name.replace('a', name)` over a long name of a's grows quadratically and the
 * strings extension's own replace is quadratic in the count. Here replace is linear, and any
 * helper result longer than MAX_CEL_STRING stops the rule. A stopped rule is remembered for the
 * evaluation that is running (evaluation is synchronous, so one slot is enough), which then
 * reports a failure instead of the "broken rule" warning a rule bug gets: input that cannot be
 * judged must not pass.
 */

/** Far above any real value: service.yml itself is at most 128 KiB. */
export const MAX_CEL_STRING = 256 * 1024;

let tripped: string | undefined;

/** The limit hit since the last call, if any; clears it. */
export function takeCelLimitHit(): string | undefined {
  const hit = tripped;
  tripped = undefined;
  return hit;
}

function tooLong(what: string, length: number): never {
  tripped ??= `${what} would make a string of ${length} characters, over the ${MAX_CEL_STRING} allowed`;
  throw new Error(tripped);
}

/** Replace the first `num` occurrences (all when absent), as the strings extension does, in one pass. */
function replace(this: string, substr: string, repl: string, num?: bigint): string {
  const limit = num === undefined ? Infinity : Number(num);
  if (limit <= 0) return this;
  if (substr === '') {
    // Between every character and at both ends, as cel-go does; bounded like the rest.
    const slots = Math.min(limit, this.length + 1);
    const length = this.length + slots * repl.length;
    if (length > MAX_CEL_STRING) tooLong('replace', length);
    const chars = [...this];
    let out = '';
    for (let i = 0; i < chars.length; i++) out += (i < slots ? repl : '') + chars[i];
    return slots > chars.length ? out + repl : out;
  }
  const at: number[] = [];
  for (
    let i = this.indexOf(substr);
    i !== -1 && at.length < limit;
    i = this.indexOf(substr, i + substr.length)
  )
    at.push(i);
  const length = this.length + at.length * (repl.length - substr.length);
  if (length > MAX_CEL_STRING) tooLong('replace', length);
  let out = '';
  let from = 0;
  for (const i of at) {
    out += this.slice(from, i) + repl;
    from = i + substr.length;
  }
  return out + this.slice(from);
}

const { STRING, INT } = CelScalar;

/** The strings extension with replace swapped for the bounded one above. */
export const BOUNDED_STRINGS: CelFunc[] = [
  ...strings.filter((f) => f.name !== 'replace'),
  celMethod('replace', STRING, [STRING, STRING], STRING, replace),
  celMethod('replace', STRING, [STRING, STRING, INT], STRING, replace),
];
