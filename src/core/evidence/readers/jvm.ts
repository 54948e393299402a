import {
  coerceVersion,
  entries,
  field,
  forEachLine,
  isObject,
  many,
  type PackageRef,
  parseTomlText,
  parseXml,
  read,
  type Reader,
  str,
  unreadable,
} from './common.js';

/** Maven coordinates as the catalogue names them: `group:artifact`, without a Scala suffix. */
export function mavenName(group: string, artifact: string): string {
  return `${group.trim()}:${artifact.trim().replace(/_(2\.1[0-3]|3)$/, '')}`;
}

/** `${name}` references resolved from the POM's properties and its own coordinates. */
function resolver(project: unknown): (v: string | undefined) => string | undefined {
  const props = new Map<string, string>();
  for (const [k, v] of entries(field(project, 'properties')))
    if (typeof v === 'string') props.set(k, v);
  const version = str(field(project, 'version')) ?? str(field(field(project, 'parent'), 'version'));
  if (version) props.set('project.version', version);
  return (v) => {
    if (v === undefined) return undefined;
    let out = v;
    // A few rounds, for properties defined in terms of others; never unbounded.
    for (let i = 0; i < 5 && out.includes('${'); i++)
      out = out.replace(/\$\{([^}]+)\}/g, (whole, key: string) => props.get(key) ?? whole);
    return out;
  };
}

/** pom.xml: dependencies, managed dependencies and plugins, in the project and its profiles. */
export const readPom: Reader = (text, file) => {
  const xml = parseXml(text);
  if (!xml.ok) return unreadable(xml.problem);
  const project = field(xml.value, 'project');
  if (!isObject(project)) return unreadable('it has no <project> element');
  const resolve = resolver(project);
  const out: PackageRef[] = [];
  const scopes = [project, ...many(field(field(project, 'profiles'), 'profile'))];
  for (const scope of scopes) {
    const lists = [
      field(field(scope, 'dependencies'), 'dependency'),
      field(field(field(scope, 'dependencyManagement'), 'dependencies'), 'dependency'),
      field(field(field(scope, 'build'), 'plugins'), 'plugin'),
    ];
    for (const list of lists)
      for (const d of many(list)) {
        const group = resolve(str(field(d, 'groupId')));
        const artifact = resolve(str(field(d, 'artifactId')));
        if (!group || !artifact) continue;
        const version = resolve(str(field(d, 'version')));
        out.push({
          ecosystem: 'maven',
          name: mavenName(group, artifact),
          version: coerceVersion(version),
          resolved: version !== undefined && /^\d[\w.-]*$/.test(version),
          file,
          needle: `<artifactId>${str(field(d, 'artifactId'))}</artifactId>`,
        });
      }
  }
  return read(out, str(field(project, 'artifactId')));
};

/** String literals of a Groovy or Kotlin file's `val`/`def`/`ext` assignments, to resolve versions. */
function stringVariables(text: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const m of text.matchAll(
    /(?:^|\s)(?:val|var|def|const val|set\()?\s*\(?["']?([A-Za-z_][\w.]*)["']?\)?\s*(?:=|,)\s*["']([^"'$\n]+)["']/gm,
  ))
    if (!vars.has(m[1]!)) vars.set(m[1]!, m[2]!);
  return vars;
}

/**
 * build.gradle and build.gradle.kts. Gradle files are programs; Service Gate never runs them. It
 * extracts the coordinates written as literals: `'group:artifact:version'` strings and
 * `group: 'g', name: 'a', version: 'v'` maps, resolving `$var` versions from literal assignments
 * in the same file. Coordinates built at run time are not seen (the README says so).
 */
export const readGradle: Reader = (text, file) => {
  const vars = stringVariables(text);
  const version = (v: string | undefined) => {
    if (!v) return undefined;
    const m = /^\$\{?([\w.]+)\}?$/.exec(v);
    return m ? vars.get(m[1]!) : v;
  };
  const out: PackageRef[] = [];
  forEachLine(text, (line, n) => {
    const trimmed = line.trimStart();
    if (trimmed.startsWith('//') || trimmed.startsWith('*')) return;
    for (const m of line.matchAll(/["']([\w.-]+):([\w.-]+)(?::([^"'@:\s]+))?(?:@\w+)?["']/g)) {
      if (!m[1]!.includes('.') && !m[3]) continue; // "key:value" strings that are not coordinates
      const v = version(m[3]);
      out.push({
        ecosystem: 'maven',
        name: mavenName(m[1]!, m[2]!),
        version: coerceVersion(v),
        resolved: v !== undefined && /^\d/.test(v),
        file,
        line: n,
      });
    }
    const map =
      /\bgroup\s*[:=]\s*["']([\w.-]+)["']\s*,\s*(?:name|module)\s*[:=]\s*["']([\w.-]+)["'](?:\s*,\s*version\s*[:=]\s*["']([^"']+)["'])?/.exec(
        line,
      );
    if (map) {
      const v = version(map[3]);
      out.push({
        ecosystem: 'maven',
        name: mavenName(map[1]!, map[2]!),
        version: coerceVersion(v),
        resolved: v !== undefined && /^\d/.test(v),
        file,
        line: n,
      });
    }
  });
  return read(out);
};

/** gradle/libs.versions.toml (a version catalog): [libraries] and [plugins], with version refs. */
export const readVersionCatalog: Reader = (text, file) => {
  const toml = parseTomlText(text);
  if (!toml.ok) return unreadable(toml.problem);
  const versions = new Map<string, string>();
  for (const [k, v] of entries(toml.value.versions)) {
    const literal =
      typeof v === 'string' ? v : (str(field(v, 'strictly')) ?? str(field(v, 'require')));
    if (literal) versions.set(k, literal);
  }
  const out: PackageRef[] = [];
  const add = (coordinates: string | undefined, v: unknown, needle: string) => {
    if (!coordinates) return;
    const [group, artifact, inline] = coordinates.split(':');
    if (!group || !artifact) return;
    const literal =
      inline ??
      (typeof v === 'string'
        ? v
        : (str(field(v, 'ref')) && versions.get(str(field(v, 'ref'))!)) ||
          str(field(v, 'strictly')) ||
          str(field(v, 'require')));
    out.push({
      ecosystem: 'maven',
      name: mavenName(group, artifact),
      version: coerceVersion(literal),
      resolved: typeof literal === 'string' && /^\d/.test(literal),
      file,
      needle,
    });
  };
  for (const [alias, lib] of entries(toml.value.libraries)) {
    if (typeof lib === 'string') add(lib, undefined, lib);
    else {
      const module = str(field(lib, 'module'));
      const group = str(field(lib, 'group'));
      const name = str(field(lib, 'name'));
      if (module) add(module, field(lib, 'version'), JSON.stringify(module));
      else if (group && name) add(`${group}:${name}`, field(lib, 'version'), JSON.stringify(name));
      else add(undefined, undefined, alias);
    }
  }
  return read(out);
};

/**
 * build.sbt and project/*.scala|*.sbt. sbt builds are Scala programs; Service Gate extracts the
 * literal `"group" %% "artifact" % "version"` coordinates, resolving versions named by a `val` of
 * the same file. `%%` adds a Scala suffix on publishing, which catalogue names leave out anyway.
 */
export const readSbt: Reader = (text, file) => {
  const vals = new Map<string, string>();
  for (const m of text.matchAll(
    /\b(?:val|lazy val|def)\s+(\w+)\s*(?::\s*String\s*)?=\s*"([^"\n]+)"/g,
  ))
    if (!vals.has(m[1]!)) vals.set(m[1]!, m[2]!);
  const out: PackageRef[] = [];
  forEachLine(text, (line, n) => {
    if (line.trimStart().startsWith('//')) return;
    for (const m of line.matchAll(
      /"([\w.-]+)"\s*%%?%?\s*"([\w.-]+)"(?:\s*%\s*(?:"([^"]+)"|([A-Za-z_][\w.]*)))?/g,
    )) {
      const v = m[3] ?? (m[4] ? vals.get(m[4].split('.').pop()!) : undefined);
      out.push({
        ecosystem: 'maven',
        name: mavenName(m[1]!, m[2]!),
        version: coerceVersion(v),
        resolved: v !== undefined && /^\d/.test(v),
        file,
        line: n,
      });
    }
  });
  return read(out);
};
