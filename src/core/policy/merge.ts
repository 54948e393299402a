import { type Diagnostic, diagnostic } from '../diagnostics.js';
import type { Position, YamlPath } from '../yaml/untrusted-yaml.js';
import { DEFAULT_CHECK_NAME, DEFAULT_PACKS, DEFAULT_THRESHOLDS } from './defaults.js';
import { severityRank } from '../levels.js';
import type { Policy } from './schema.js';

/**
 * Policy files merge most general first: an _extends ancestor, the organisation's .github
 * repository, then the repository's own file. Central files may lock settings; a later file may
 * then tighten a locked setting but never loosen it, and an attempt is a finding, not a silent
 * override. Waivers are only valid in central files.
 */

export interface PolicyLayer {
  /** Shown to people: "org/.github:.github/service-gate.yml". */
  file: string;
  policy: Policy;
  /** Central files (organisation, _extends) may lock settings and grant waivers. */
  central: boolean;
  locate?: (path: YamlPath, options?: { key?: boolean }) => Position;
}

export interface SettingOrigin {
  file: string;
  line: number;
  locked: boolean;
}

export interface MergedPolicy {
  policy: Policy;
  diagnostics: Diagnostic[];
  /** For each effective setting (dot path), the file and line that set it. */
  origins: Map<string, SettingOrigin>;
  /** Locked setting paths, and the central file that locked each. */
  locks: Map<string, string>;
}

/** Lists that accumulate across files: a repository can add packs, never remove forced ones. */
const UNION_LISTS = new Set(['packs.add', 'packs.force', 'packs.paths', 'packs.targets']);

type Direction = 'lower' | 'higher' | 'superset' | 'severity' | 'equal';

/** Which way is "tighter" for a setting. */
export function tighterDirection(path: string): Direction {
  if (path.startsWith('severity.')) return 'severity';
  if (
    /^thresholds\.(spend\.(public_facing|other)\.[A-Z]{3}|research\.max_age_days|accessibility\.audit_max_age_days|assessment\.(cross_government_transactions|amber_actions_max_days))$/.test(
      path,
    )
  )
    return 'lower';
  if (
    /^thresholds\.(research\.min_participants|design_system_floors\..+|accessibility\.minimum_target|spend\.approval_expiry_warning_days|waiver_expiry_warning_days)$/.test(
      path,
    )
  )
    return 'higher';
  if (/^packs\.(default|add|force)$/.test(path)) return 'superset';
  return 'equal';
}

/** Whether `next` is at least as strict as `locked`. */
export function isAtLeastAsStrict(path: string, locked: unknown, next: unknown): boolean {
  switch (tighterDirection(path)) {
    case 'lower':
      return typeof next === 'number' && typeof locked === 'number' && next <= locked;
    case 'higher':
      return (
        (typeof next === 'number' && typeof locked === 'number' && next >= locked) ||
        (typeof next === 'string' && typeof locked === 'string' && next >= locked)
      );
    case 'severity': {
      // An unknown locked level (never valid) cannot be met.
      const lockedRank = severityRank(String(locked));
      return lockedRank >= 0 && severityRank(String(next)) >= lockedRank;
    }
    case 'superset':
      return Array.isArray(next) && Array.isArray(locked) && locked.every((x) => next.includes(x));
    default:
      return JSON.stringify(next) === JSON.stringify(locked);
  }
}

export function mergePolicies(layers: readonly PolicyLayer[]): MergedPolicy {
  const values = new Map<string, unknown>();
  const origins = new Map<string, SettingOrigin>();
  const locks = new Map<string, string>(); // path → the file that locked it
  const diagnostics: Diagnostic[] = [];
  const waivers: NonNullable<Policy['waivers']> = [];

  for (const layer of layers) {
    const at = (path: string) =>
      layer.locate?.(toYamlPath(path), { key: true }) ?? { line: 1, column: 1 };
    const { locks: ownLocks, waivers: ownWaivers, _extends: _ignored, ...settings } = layer.policy;
    if (ownWaivers?.length) {
      if (layer.central) waivers.push(...ownWaivers);
      else {
        const p = at('waivers');
        diagnostics.push(
          diagnostic({
            file: layer.file,
            line: p.line,
            column: p.column,
            code: 'policy/waiver-not-central',
            message:
              'Waivers in a repository policy file are ignored: only the central policy can grant them.',
            hint: "Ask your central unit to add the waiver to the organisation's .github/service-gate.yml, with a reason and an expiry date.",
          }),
        );
      }
    }
    for (const [path, value] of flatten(settings)) {
      const lockedBy = lockOf(locks, path);
      const previous = values.get(path);
      const merged =
        UNION_LISTS.has(path) && Array.isArray(previous) && Array.isArray(value)
          ? union(previous, value)
          : value;
      if (lockedBy && previous !== undefined && !isAtLeastAsStrict(path, previous, merged)) {
        const p = at(path);
        diagnostics.push(
          diagnostic({
            file: layer.file,
            line: p.line,
            column: p.column,
            code: 'policy/locked-setting',
            message: `${path} is locked at ${JSON.stringify(previous)} by ${lockedBy}; this file may tighten it but not loosen it to ${JSON.stringify(value)}.`,
            hint: `Remove ${path} here, or set it to something at least as strict. The central unit can change the lock in ${lockedBy}.`,
          }),
        );
        continue;
      }
      values.set(path, merged);
      origins.set(path, { file: layer.file, line: at(path).line, locked: false });
    }
    if (layer.central) {
      for (const path of ownLocks ?? []) {
        if (!locks.has(path)) locks.set(path, layer.file);
        // A locked setting that no file has set yet is locked at its default.
        for (const [p, v] of flatten(defaultsAt(path))) if (!values.has(p)) values.set(p, v);
      }
    } else if (ownLocks?.length) {
      const p = at('locks');
      diagnostics.push(
        diagnostic({
          file: layer.file,
          line: p.line,
          column: p.column,
          code: 'policy/lock-not-central',
          message: 'Locks in a repository policy file have no effect.',
          hint: 'Only central policy files can lock settings; remove locks here.',
        }),
      );
    }
  }
  for (const path of origins.keys()) if (lockOf(locks, path)) origins.get(path)!.locked = true;

  const policy = unflatten(values) as Policy;
  if (waivers.length) policy.waivers = waivers;
  return { policy, diagnostics, origins, locks };
}

/** Every effective setting with its value and the file that set it (or "default"). */
export function explainPolicy(
  merged: MergedPolicy,
): { setting: string; value: unknown; source: string; locked: boolean }[] {
  const defaults = flatten({
    packs: { default: DEFAULT_PACKS, add: [], force: [] },
    thresholds: DEFAULT_THRESHOLDS,
    check_name: DEFAULT_CHECK_NAME,
  });
  const effective = new Map(
    flatten(merged.policy as Record<string, unknown>).filter(([p]) => !p.startsWith('waivers')),
  );
  const rows = new Map<
    string,
    { setting: string; value: unknown; source: string; locked: boolean }
  >();
  for (const [setting, value] of defaults)
    rows.set(setting, { setting, value, source: 'default', locked: false });
  for (const [setting, value] of effective) {
    const origin = merged.origins.get(setting);
    rows.set(setting, {
      setting,
      value,
      source: origin ? `${origin.file}:${origin.line}` : 'default',
      locked: lockOf(merged.locks, setting) !== undefined,
    });
  }
  return [...rows.values()].sort((a, b) => a.setting.localeCompare(b.setting));
}

function union(a: unknown[], b: unknown[]): unknown[] {
  const seen = new Set(a.map((x) => JSON.stringify(x)));
  return [...a, ...b.filter((x) => !seen.has(JSON.stringify(x)))];
}

function lockOf(locks: Map<string, string>, path: string): string | undefined {
  for (const [locked, file] of locks)
    if (path === locked || path.startsWith(`${locked}.`)) return file;
  return undefined;
}

function defaultsAt(path: string): Record<string, unknown> {
  const all: Record<string, unknown> = {
    thresholds: DEFAULT_THRESHOLDS,
    packs: { default: DEFAULT_PACKS, add: [], force: [] },
  };
  let v: unknown = all;
  for (const key of path.split('.'))
    v = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  return v === undefined ? {} : (unflatten(new Map([[path, v]])) as Record<string, unknown>);
}

/** Leaves of a policy as dot paths; lists are leaves. */
function flatten(value: Record<string, unknown>, prefix = ''): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [k, v] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object' && !Array.isArray(v))
      out.push(...flatten(v as Record<string, unknown>, path));
    else if (v !== undefined) out.push([path, v]);
  }
  return out;
}

function unflatten(values: Map<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [path, v] of values) {
    const keys = splitPath(path);
    let node = out;
    keys.slice(0, -1).forEach((k) => (node = (node[k] ??= {}) as Record<string, unknown>));
    node[keys.at(-1)!] = v;
  }
  return out;
}

/** severity keys hold rule ids with dots ("severity.gds.1.research-recent"): keep them whole. */
function splitPath(path: string): string[] {
  const parts = path.split('.');
  return parts[0] === 'severity' && parts.length > 2
    ? ['severity', parts.slice(1).join('.')]
    : parts;
}

function toYamlPath(path: string): YamlPath {
  return splitPath(path);
}
