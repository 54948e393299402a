import {
  entries,
  field,
  lowestOfRange,
  type PackageRef,
  parseJson,
  read,
  type Reader,
  str,
  unreadable,
} from './common.js';

/** composer.json: require and require-dev. */
export const readComposerJson: Reader = (text, file) => {
  const json = parseJson(text);
  if (!json.ok) return unreadable(json.problem);
  const out: PackageRef[] = [];
  for (const kind of ['require', 'require-dev'])
    for (const [name, range] of entries(json.value[kind])) {
      if (!name.includes('/')) continue; // php, ext-json: platform requirements
      out.push({
        ecosystem: 'composer',
        name: name.toLowerCase(),
        version: lowestOfRange(typeof range === 'string' ? range.replace(/^v/, '') : range),
        resolved: false,
        file,
        needle: JSON.stringify(name),
      });
    }
  // Vendored modules show only as autoload namespaces (`"Alphagov\\Pay\\": "module/…"`).
  for (const kind of ['autoload', 'autoload-dev'])
    for (const standard of ['psr-4', 'psr-0'])
      for (const [namespace] of entries(field(json.value[kind], standard)))
        out.push({
          ecosystem: 'composer',
          name: `autoload:${namespace.toLowerCase()}`,
          version: null,
          resolved: false,
          file,
          needle: JSON.stringify(namespace),
        });
  return read(out, json.value.name);
};

/** composer.lock: packages and packages-dev, resolved. */
export const readComposerLock: Reader = (text, file) => {
  const json = parseJson(text);
  if (!json.ok) return unreadable(json.problem);
  const out: PackageRef[] = [];
  for (const kind of ['packages', 'packages-dev']) {
    const list = json.value[kind];
    if (!Array.isArray(list)) continue;
    for (const p of list) {
      const name = str(field(p, 'name'));
      if (!name) continue;
      const version = str(field(p, 'version'));
      out.push({
        ecosystem: 'composer',
        name: name.toLowerCase(),
        version: version?.replace(/^v/, '') ?? null,
        resolved: version !== undefined,
        file,
        needle: `"name": ${JSON.stringify(name)}`,
      });
    }
  }
  return read(out);
};
