import type { Diagnostic } from '../diagnostics.js';
import { parseUntrustedYaml } from '../yaml/untrusted-yaml.js';
import { validateYaml } from '../yaml/validate.js';
import type { PolicyFileSource, PolicyLayer } from './merge.js';
import { type Policy, policySchema } from './schema.js';

export type PolicyResult =
  | {
      ok: true;
      policy: Policy;
      layer: (central: boolean, source?: PolicyFileSource) => PolicyLayer;
    }
  | { ok: false; diagnostics: Diagnostic[] };

/** Parses a policy file (.github/service-gate.yml). An empty file is an empty policy. */
export function parsePolicy(text: string, file: string): PolicyResult {
  if (text.trim() === '')
    return {
      ok: true,
      policy: {},
      layer: (central, source) => ({ file, source, policy: {}, central }),
    };
  const parsed = parseUntrustedYaml(text, file);
  if (!parsed.ok) return parsed;
  const validated = validateYaml(policySchema, parsed.yaml, file);
  if (!validated.ok) return validated;
  const policy = validated.value;
  return {
    ok: true,
    policy,
    layer: (central, source) => ({ file, source, policy, central, locate: parsed.yaml.locate }),
  };
}
