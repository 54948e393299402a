import {
  entries,
  field,
  forEachLine,
  lowestOfRange,
  type PackageRef,
  parseJson,
  read,
  type Reader,
  str,
  unreadable,
} from './common.js';

/** package.json and bower.json: dependencies, devDependencies, optional and peer dependencies. */
export const readPackageJson: Reader = (text, file) => {
  const json = parseJson(text);
  if (!json.ok) return unreadable(json.problem);
  const out: PackageRef[] = [];
  for (const kind of [
    'dependencies',
    'devDependencies',
    'optionalDependencies',
    'peerDependencies',
  ])
    for (const [name, range] of entries(json.value[kind]))
      out.push({
        ecosystem: 'npm',
        name,
        version: lowestOfRange(range),
        resolved: false,
        file,
        needle: JSON.stringify(name),
      });
  return read(out, json.value.name);
};

/** package-lock.json and npm-shrinkwrap.json, lockfile versions 1, 2 and 3. */
export const readPackageLock: Reader = (text, file) => {
  const json = parseJson(text);
  if (!json.ok) return unreadable(json.problem);
  const out: PackageRef[] = [];
  // Versions 2 and 3: "packages" keyed by install path, in any workspace; nested copies are
  // another package's dependency and say nothing about the version the service uses.
  for (const [path, info] of entries(json.value.packages)) {
    const at = path.lastIndexOf('node_modules/');
    if (at === -1) continue;
    const name = path.slice(at + 'node_modules/'.length);
    const nested = path.slice(0, at).includes('node_modules/');
    const version = str(field(info, 'version'));
    if (!version || nested || !/^(@[^/]+\/)?[^/]+$/.test(name)) continue;
    out.push({
      ecosystem: 'npm',
      name,
      version,
      resolved: true,
      file,
      needle: JSON.stringify(path),
    });
  }
  if (out.length > 0) return read(out);
  // Version 1: "dependencies" keyed by name.
  for (const [name, info] of entries(json.value.dependencies)) {
    const version = str(field(info, 'version'));
    if (version)
      out.push({
        ecosystem: 'npm',
        name,
        version,
        resolved: true,
        file,
        needle: JSON.stringify(name),
      });
  }
  return read(out);
};

/** yarn.lock, classic (v1) and Berry (v2+): a header of descriptors, then a version line. */
export const readYarnLock: Reader = (text, file) => {
  const out: PackageRef[] = [];
  let names: string[] = [];
  let headerLine = 0;
  forEachLine(text, (line, n) => {
    const first = line.charCodeAt(0);
    // A header starts in column 0, is not a comment, and ends with ':'.
    if (line.length > 1 && first !== 32 && first !== 35 && line.trimEnd().endsWith(':')) {
      names = [];
      for (const raw of line.trimEnd().slice(0, -1).split(',')) {
        const d = raw.trim().replace(/^"|"$/g, '');
        const at = d.indexOf('@', 1);
        const name = at === -1 ? d : d.slice(0, at);
        if (name && !names.includes(name)) names.push(name);
      }
      headerLine = n;
      return;
    }
    if (names.length === 0 || !line.startsWith('  version')) return;
    const m = /^ {2}version:? "?([^"\s]+)"?/.exec(line);
    if (!m) return;
    for (const name of names)
      out.push({ ecosystem: 'npm', name, version: m[1]!, resolved: true, file, line: headerLine });
    names = [];
  });
  return read(out);
};

/** pnpm-lock.yaml v5 (/name/1.0.0), v6 (/name@1.0.0) and v9 (name@1.0.0) package keys. */
export const readPnpmLock: Reader = (text, file) => {
  const out: PackageRef[] = [];
  const key = /^ {2}['"]?\/?((?:@[^/@\s'"]+\/)?[^/@\s'"]+)[@/](\d+\.\d+\.\d+[^:'"\s(]*)/;
  forEachLine(text, (line, n) => {
    if (!line.startsWith('  ') || line.charCodeAt(2) === 32) return;
    const m = key.exec(line);
    if (m)
      out.push({ ecosystem: 'npm', name: m[1]!, version: m[2]!, resolved: true, file, line: n });
  });
  return read(out);
};
