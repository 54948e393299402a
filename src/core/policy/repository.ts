import type { Diagnostic } from '../diagnostics.js';
import { parsePolicy } from './load.js';
import { type MergeOptions, mergePolicies, type PolicyLayer } from './merge.js';
import type { Policy } from './schema.js';

/**
 * The policy an audit judges one repository by, as the App would: the central layers, then the
 * repository's own file, which may tighten what they lock but never loosen it and cannot grant
 * waivers. An invalid own file is reported and the central layers alone apply.
 */
export function repositoryPolicy(
  central: readonly PolicyLayer[],
  own: { text: string; file: string } | undefined,
  options: MergeOptions = {},
): { policy?: Policy; diagnostics: Diagnostic[] } {
  const layers = [...central];
  const diagnostics: Diagnostic[] = [];
  if (own) {
    const parsed = parsePolicy(own.text, own.file);
    if (parsed.ok) layers.push(parsed.layer(false));
    else diagnostics.push(...parsed.diagnostics);
  }
  if (layers.length === 0) return { diagnostics };
  const merged = mergePolicies(layers, options);
  return { policy: merged.policy, diagnostics: [...diagnostics, ...merged.diagnostics] };
}
