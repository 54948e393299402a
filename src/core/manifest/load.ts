import type { Diagnostic } from '../diagnostics.js';
import {
  DEFAULT_YAML_LIMITS,
  parseUntrustedYaml,
  type ParsedYaml,
  type YamlLimits,
  type YamlPath,
} from '../yaml/untrusted-yaml.js';
import { validateYaml } from '../yaml/validate.js';
import { type Manifest, manifestSchema } from './schema.js';

export const MANIFEST_FILE = 'service.yml';

/** Where editors find the JSON Schema of service.yml (the committed schema/, as served from main). */
export const MANIFEST_SCHEMA_URL =
  'https://raw.githubusercontent.com/service-gate/service-gate/main/schema/service.schema.json';

/** The names a manifest may have at the repository root, the preferred first. */
export const MANIFEST_NAMES = [MANIFEST_FILE, 'service.yaml'] as const;

/** The manifest a repository has at its root: service.yml, else service.yaml, else (missing) service.yml. */
export function manifestPathIn(paths: Iterable<string>): string {
  const present = new Set(paths);
  return MANIFEST_NAMES.find((name) => present.has(name)) ?? MANIFEST_FILE;
}

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
  // Placeholders first: `public: TODO…` is unfinished, not a wrongly typed boolean.
  const placeholders = placeholderDiagnostics(parsed.yaml.value, parsed.yaml, file);
  const validated = validateYaml(manifestSchema, parsed.yaml, file);
  if (!validated.ok || placeholders.length > 0) {
    const unfinished = new Set(placeholders.map((d) => d.line));
    const invalid = validated.ok
      ? []
      : validated.diagnostics.filter((d) => !unfinished.has(d.line));
    return { ok: false, diagnostics: [...placeholders, ...invalid], file };
  }
  return { ok: true, manifest: validated.value, source: parsed.yaml, file };
}

/** `service-gate init` leaves `TODO: …` where only the team knows the answer. */
const PLACEHOLDER = /^\s*TODO\b/;
const MAX_PLACEHOLDERS_REPORTED = 20;

/** A starter file judged before it is filled in would pass on made-up facts: each TODO is a failure. */
function placeholderDiagnostics(value: unknown, source: ParsedYaml, file: string): Diagnostic[] {
  const found: YamlPath[] = [];
  // The raw value may share or loop through aliases: visit each object once.
  const seen = new Set<object>();
  const walk = (v: unknown, path: YamlPath) => {
    if (found.length >= MAX_PLACEHOLDERS_REPORTED) return;
    if (typeof v === 'string' && PLACEHOLDER.test(v)) found.push(path);
    else if (v && typeof v === 'object' && !seen.has(v)) {
      seen.add(v);
      if (Array.isArray(v)) v.forEach((item, i) => walk(item, [...path, i]));
      else for (const [k, item] of Object.entries(v)) walk(item, [...path, k]);
    }
  };
  walk(value, []);
  return found.map((path) => ({
    file,
    ...source.locate(path),
    code: 'manifest/placeholder',
    message: `${path.join('.')} is still a placeholder from service-gate init.`,
    hint: `Replace the TODO with the real ${String(path.at(-1))}.`,
  }));
}
