import {
  coerceVersion,
  entries,
  field,
  forEachLine,
  isObject,
  type PackageRef,
  parseJson,
  parseTomlText,
  read,
  type Reader,
  str,
  unreadable,
} from './common.js';

/** PEP 503 normalised name, so `govuk_frontend_jinja` and `GOVUK-Frontend-Jinja` match. */
export function normalisePypiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

const PEP508 =
  /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(?:\(?\s*(===?|~=|>=|>|<=|<|!=)\s*([^\s,;)]+))?/;

/** A PEP 508 requirement (`name[extra] >= 1.2 ; marker`, `name @ git+https://…`). */
function requirement(
  spec: string,
  file: string,
  line?: number,
  needle?: string,
): PackageRef | undefined {
  const m = PEP508.exec(spec);
  if (!m) return undefined;
  const op = m[2];
  const exact = op === '==' || op === '===';
  const version = m[3] && op !== '<' && op !== '<=' && op !== '!=' ? coerceVersion(m[3]) : null;
  return {
    ecosystem: 'pypi',
    name: normalisePypiName(m[1]!),
    version,
    resolved: exact,
    file,
    line,
    needle: needle ?? m[1],
  };
}

/**
 * requirements*.txt and requirements*.in (pip-tools): one requirement a line, `\` continuations,
 * options (-r, -c, -e, --hash) skipped, and VCS or URL lines named by their `#egg=` fragment.
 */
export const readRequirements: Reader = (text, file) => {
  const out: PackageRef[] = [];
  forEachLine(text, (raw, n) => {
    const line = raw
      .replace(/(^|\s)#.*$/, '')
      .replace(/\\$/, '')
      .trim();
    if (!line) return;
    const egg = /[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(raw);
    if (egg) {
      out.push({
        ecosystem: 'pypi',
        name: normalisePypiName(egg[1]!),
        version: null,
        resolved: false,
        file,
        line: n,
      });
      return;
    }
    if (line.startsWith('-') || /^(git\+|hg\+|svn\+|bzr\+|https?:|file:|\.|\/)/.test(line)) return;
    const r = requirement(line, file, n);
    if (r) out.push(r);
  });
  return read(out);
};

function requirementList(list: unknown, file: string, out: PackageRef[]): void {
  if (!Array.isArray(list)) return;
  for (const spec of list)
    if (typeof spec === 'string') {
      const r = requirement(spec, file, undefined, spec);
      if (r) out.push(r);
    }
}

/** A TOML table of `name = "range"` or `name = {version = "…", git = "…"}` (Poetry, Pipfile). */
function requirementTable(table: unknown, file: string, out: PackageRef[]): void {
  for (const [name, spec] of entries(table)) {
    if (name.toLowerCase() === 'python') continue;
    const range = typeof spec === 'string' ? spec : str(field(spec, 'version'));
    const exact = typeof range === 'string' && /^==?\s*\d/.test(range);
    out.push({
      ecosystem: 'pypi',
      name: normalisePypiName(name),
      version: range && range !== '*' ? coerceVersion(range) : null,
      resolved: exact,
      file,
      needle: name,
    });
  }
}

/**
 * pyproject.toml: PEP 621 dependencies and optional dependencies, PEP 735 dependency groups,
 * Poetry's dependencies, dev-dependencies and groups, uv's and PDM's development dependencies.
 */
export const readPyproject: Reader = (text, file) => {
  const toml = parseTomlText(text);
  if (!toml.ok) return unreadable(toml.problem);
  const out: PackageRef[] = [];
  const project = toml.value.project;
  requirementList(field(project, 'dependencies'), file, out);
  for (const [, list] of entries(field(project, 'optional-dependencies')))
    requirementList(list, file, out);
  for (const [, list] of entries(toml.value['dependency-groups'])) requirementList(list, file, out);
  const tool = toml.value.tool;
  const poetry = field(tool, 'poetry');
  requirementTable(field(poetry, 'dependencies'), file, out);
  requirementTable(field(poetry, 'dev-dependencies'), file, out);
  for (const [, group] of entries(field(poetry, 'group')))
    requirementTable(field(group, 'dependencies'), file, out);
  requirementList(field(field(tool, 'uv'), 'dev-dependencies'), file, out);
  for (const [, list] of entries(field(field(tool, 'pdm'), 'dev-dependencies')))
    requirementList(list, file, out);
  return read(out, field(project, 'name') ?? field(poetry, 'name'));
};

/** Pipfile: [packages], [dev-packages] and any other category table. */
export const readPipfile: Reader = (text, file) => {
  const toml = parseTomlText(text);
  if (!toml.ok) return unreadable(toml.problem);
  const out: PackageRef[] = [];
  for (const [section, table] of entries(toml.value)) {
    if (
      section === 'source' ||
      section === 'requires' ||
      section === 'scripts' ||
      section === 'pipenv'
    )
      continue;
    if (isObject(table)) requirementTable(table, file, out);
  }
  return read(out);
};

/** Pipfile.lock: every category ("default", "develop", custom ones) of pinned packages. */
export const readPipfileLock: Reader = (text, file) => {
  const json = parseJson(text);
  if (!json.ok) return unreadable(json.problem);
  const out: PackageRef[] = [];
  for (const [section, table] of entries(json.value)) {
    if (section === '_meta') continue;
    for (const [name, info] of entries(table)) {
      const version = str(field(info, 'version'));
      out.push({
        ecosystem: 'pypi',
        name: normalisePypiName(name),
        version: coerceVersion(version),
        resolved: version !== undefined,
        file,
        needle: JSON.stringify(name),
      });
    }
  }
  return read(out);
};

/**
 * poetry.lock and uv.lock: `[[package]]` tables with `name` and `version`. These are generated
 * and can be megabytes, so they are read line by line rather than parsed as TOML in memory.
 */
export const readPythonLock: Reader = (text, file) => {
  const out: PackageRef[] = [];
  let inPackage = false;
  let name: { value: string; line: number } | undefined;
  let version: string | undefined;
  const flush = () => {
    if (name)
      out.push({
        ecosystem: 'pypi',
        name: normalisePypiName(name.value),
        version: version ?? null,
        resolved: version !== undefined,
        file,
        line: name.line,
      });
    name = undefined;
    version = undefined;
  };
  let sawTable = false;
  forEachLine(text, (line, n) => {
    if (line.startsWith('[')) {
      sawTable = true;
      if (inPackage) flush();
      inPackage = line.trim() === '[[package]]';
      return;
    }
    if (!inPackage) return;
    const m = /^(name|version)\s*=\s*"([^"]*)"/.exec(line);
    if (m?.[1] === 'name' && !name) name = { value: m[2]!, line: n };
    else if (m?.[1] === 'version' && version === undefined) version = m[2]!;
  });
  if (inPackage) flush();
  if (!sawTable && text.trim()) return unreadable('it has no TOML tables, so it is not a lockfile');
  return read(out);
};
