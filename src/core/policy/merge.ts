import { type Diagnostic, diagnostic } from '../diagnostics.js';
import type { Level } from '../levels.js';
import { excerpt } from '../excerpt.js';
import type { Position, YamlPath } from '../yaml/untrusted-yaml.js';
import { DEFAULTS, type Entries, getAt, MODEL_LEAVES, type Setting, setAt } from './model.js';
import { isForbiddenKey } from '../forbidden-keys.js';
import type { Policy, Waiver } from './schema.js';

/**
 * Policy files merge most general first: the organisation's central chain (its `_extends`
 * ancestors, then its .github file), then whatever a repository adds beneath it. Central files
 * may lock settings; a later file may then tighten a locked setting but never loosen it, and an
 * attempt is a finding, not a silent override. Waivers and locks are only valid in central files.
 * The merge starts from the defaults, so a lock always compares with the value in force.
 */

/** Where a policy file was read, so that what it names (packs.paths) resolves from its repository's root. */
export type PolicyFileSource =
  | { kind: 'github'; owner: string; repo: string; path: string }
  | { kind: 'local'; root: string; path: string };

export interface PolicyLayer {
  /** Shown to people: "org/.github:.github/service-gate.yml". */
  file: string;
  /** Where it was read; absent for policies built in code. */
  source?: PolicyFileSource;
  policy: Policy;
  /** Central files (the organisation's and its _extends ancestors) may lock settings and grant waivers. */
  central: boolean;
  locate?: (path: YamlPath, options?: { key?: boolean }) => Position;
}

export interface SettingOrigin {
  file: string;
  line: number;
  locked: boolean;
}

export interface MergedPolicy {
  /** Every setting, defaults included, and the central files' waivers. */
  policy: Policy;
  diagnostics: Diagnostic[];
  /** For each setting a file set (dot path), the file and line that set it. */
  origins: Map<string, SettingOrigin>;
  /** Locked setting paths, and the central file that locked each. */
  locks: Map<string, string>;
}

export interface MergeOptions {
  /**
   * A rule's own level: the default of its `severity` entry, which a lock compares with. Without
   * it (or for a rule no pack has), only `failure` counts as at least as strict.
   */
  ruleLevel?: (ruleId: string) => Level | undefined;
}

type Leaf = Setting<unknown> | Entries<unknown>;

export function mergePolicies(
  layers: readonly PolicyLayer[],
  options: MergeOptions = {},
): MergedPolicy {
  const values = copyOf(DEFAULTS) as Record<string, unknown>;
  const origins = new Map<string, SettingOrigin>();
  const locks = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  const waivers: Waiver[] = [];

  for (const layer of layers) {
    const at = (path: YamlPath) => layer.locate?.(path, { key: true }) ?? { line: 1, column: 1 };
    const problem = (path: YamlPath, code: string, message: string, hint: string) => {
      const p = at(path);
      diagnostics.push(
        diagnostic({
          file: layer.file,
          line: p.line,
          column: p.column,
          code: code,
          message: message,
          hint: hint,
        }),
      );
    };
    const own = layer.policy;

    if (own.waivers?.length) {
      if (layer.central) waivers.push(...own.waivers);
      else
        problem(
          ['waivers'],
          'policy/waiver-not-central',
          'Waivers in a repository policy file are ignored: only the central policy can grant them.',
          "Ask your central unit to add the waiver to the organisation's .github/service-gate.yml, with a reason and an expiry date.",
        );
    }
    if (own.trusted_sources?.length && !layer.central)
      problem(
        ['trusted_sources'],
        'policy/trust-not-central',
        'trusted_sources in a repository policy file has no effect.',
        "Only the organisation's central policy can name sources that _extends may read.",
      );

    const apply = (path: readonly string[], leaf: Leaf, current: unknown, given: unknown) => {
      const setting = path.join('.');
      const next =
        leaf.kind === 'setting' && leaf.accumulate ? union(current, given) : copyOf(given);
      const lockedBy =
        lockOf(locks, setting) ??
        (leaf.kind === 'setting' && leaf.centralGoverned && !layer.central
          ? 'the central policy'
          : undefined);
      if (lockedBy && !leaf.tighter.atLeastAsStrict(current, next)) {
        problem(
          path,
          'policy/locked-setting',
          `${setting} is locked at ${excerpt(current)} by ${lockedBy}; this file may tighten it but not loosen it to ${excerpt(given)}.`,
          `Remove ${setting} here, or set it to ${leaf.tighter.means}. The central unit can change the lock in ${lockedBy}.`,
        );
        return;
      }
      setAt(values, path, next);
      origins.set(setting, { file: layer.file, line: at(path).line, locked: false });
    };

    for (const { path, node } of MODEL_LEAVES) {
      const given = getAt(own, path);
      if (given === undefined) continue;
      if (node.kind === 'setting') {
        apply(path, node, getAt(values, path), given);
        continue;
      }
      for (const key of Object.keys(given as object)) {
        const entryPath = [...path, key];
        if (isForbiddenKey(key)) {
          problem(
            entryPath,
            'policy/forbidden-key',
            `The key ${excerpt(key)} is not allowed.`,
            'Remove this key.',
          );
          continue;
        }
        const inForce = getAt(values, entryPath) ?? entryDefault(path, key, options);
        apply(entryPath, node, inForce, (given as Record<string, unknown>)[key]);
      }
    }

    if (!own.locks?.length) continue;
    if (!layer.central) {
      problem(
        ['locks'],
        'policy/lock-not-central',
        'Locks in a repository policy file have no effect.',
        'Only central policy files can lock settings; remove locks here.',
      );
      continue;
    }
    own.locks.forEach((path, index) => {
      if (!isSettingPath(path)) {
        const p = layer.locate?.(['locks', index]) ?? { line: 1, column: 1 };
        diagnostics.push(
          diagnostic({
            file: layer.file,
            line: p.line,
            column: p.column,
            code: 'policy/lock-unknown',
            message: `locks names ${excerpt(path)}, which is not a policy setting, so it locks nothing.`,
            hint: 'Name a setting or a group of them, such as thresholds.research or severity; `service-gate policy --explain` lists them.',
          }),
        );
      } else if (!locks.has(path)) locks.set(path, layer.file);
    });
  }
  for (const [path, origin] of origins) if (lockOf(locks, path)) origin.locked = true;

  const policy = values as Policy;
  if (waivers.length) policy.waivers = waivers;
  return { policy, diagnostics, origins, locks };
}

/** The value an entry has when no file set it: a rule's own level for severity, else nothing. */
function entryDefault(path: readonly string[], key: string, options: MergeOptions): unknown {
  if (path.length === 1 && path[0] === 'severity') return options.ruleLevel?.(key) ?? 'failure';
  return undefined;
}

export interface ExplainedSetting {
  setting: string;
  value: unknown;
  source: string;
  locked: boolean;
}

/** Every effective setting with its value and the file and line that set it (or "default"). */
export function explainPolicy(merged: MergedPolicy): ExplainedSetting[] {
  const rows: ExplainedSetting[] = [];
  const row = (setting: string, value: unknown) => {
    const origin = merged.origins.get(setting);
    rows.push({
      setting,
      value,
      source: origin ? `${origin.file}:${origin.line}` : 'default',
      locked: lockOf(merged.locks, setting) !== undefined,
    });
  };
  for (const { path, node } of MODEL_LEAVES) {
    const value = getAt(merged.policy, path);
    if (node.kind === 'setting') {
      if (value !== undefined) row(path.join('.'), value);
      continue;
    }
    const keys = Object.keys(value ?? {});
    if (keys.length === 0) row(path.join('.'), {});
    for (const key of keys) row([...path, key].join('.'), (value as Record<string, unknown>)[key]);
  }
  return rows.sort((a, b) => a.setting.localeCompare(b.setting));
}

/** Whether a lock names a setting, a group of settings, or one entry of a mapping setting. */
function isSettingPath(lock: string): boolean {
  return MODEL_LEAVES.some(({ path, node }) => {
    const leaf = path.join('.');
    return (
      leaf === lock ||
      leaf.startsWith(`${lock}.`) ||
      (node.kind === 'entries' && lock.startsWith(`${leaf}.`))
    );
  });
}

function lockOf(locks: ReadonlyMap<string, string>, path: string): string | undefined {
  for (const [locked, file] of locks)
    if (path === locked || path.startsWith(`${locked}.`)) return file;
  return undefined;
}

function union(current: unknown, given: unknown): unknown[] {
  const a = Array.isArray(current) ? current : [];
  const b = Array.isArray(given) ? given : [];
  const seen = new Set(a.map((x) => JSON.stringify(x)));
  return [...a, ...b.filter((x) => !seen.has(JSON.stringify(x)))];
}

/**
 * A deep copy into null-prototype objects: what the merge keeps never shares an object with a
 * file's parsed value, and no key in it can reach a prototype.
 */
function copyOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyOf);
  if (value === null || typeof value !== 'object') return value;
  const out = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of Object.entries(value)) if (!isForbiddenKey(k)) out[k] = copyOf(v);
  return out;
}
