import type { Diagnostic } from '../diagnostics.js';
import {
  DEFAULT_YAML_LIMITS,
  parseUntrustedYaml,
  type ParsedYaml,
  type YamlLimits,
} from '../yaml/untrusted-yaml.js';
import { validateYaml } from '../yaml/validate.js';
import { type Manifest, manifestSchema } from './schema.js';

export const MANIFEST_FILE = 'service.yml';

/**
 * The code of the diagnostic for a repository without service.yml, and so the rule id of its
 * finding: an audit counts such repositories apart from those whose service.yml is invalid.
 */
export const MANIFEST_MISSING = 'manifest/missing';

export type ManifestResult =
  | { ok: true; manifest: Manifest; source: ParsedYaml; file: string }
  | { ok: false; diagnostics: Diagnostic[]; file: string };

/** Parses and validates a service.yml from untrusted text. Never throws on bad input. */
export function parseManifest(
  text: string,
  file = MANIFEST_FILE,
  limits: YamlLimits = DEFAULT_YAML_LIMITS,
): ManifestResult {
  const parsed = parseUntrustedYaml(text, file, limits);
  if (!parsed.ok) return { ok: false, diagnostics: parsed.diagnostics, file };
  if (
    parsed.yaml.value === null ||
    typeof parsed.yaml.value !== 'object' ||
    Array.isArray(parsed.yaml.value)
  ) {
    return {
      ok: false,
      file,
      diagnostics: [
        {
          file,
          line: 1,
          column: 1,
          code: 'schema/not-a-mapping',
          message: `${file} must be a mapping of keys such as 'name:' and 'phase:'.`,
          hint: 'Run `service-gate init` to write a starter file.',
        },
      ],
    };
  }
  const validated = validateYaml(manifestSchema, parsed.yaml, file);
  if (!validated.ok) return { ok: false, diagnostics: validated.diagnostics, file };
  return { ok: true, manifest: validated.value, source: parsed.yaml, file };
}
