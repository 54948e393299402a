import { coerceVersion, forEachLine, type PackageRef, read, type Reader } from './common.js';

/** Gemfile: `gem 'name', '~> 1.2'`, including git and path gems. */
export const readGemfile: Reader = (text, file) => {
  const out: PackageRef[] = [];
  forEachLine(text, (line, n) => {
    const m = /^\s*gem\s*\(?\s*['"]([^'"]+)['"](?:\s*,\s*['"]([^'"]+)['"])?/.exec(line);
    if (m)
      out.push({
        ecosystem: 'rubygems',
        name: m[1]!,
        version: coerceVersion(m[2]),
        resolved: false,
        file,
        line: n,
      });
  });
  return read(out);
};

/** *.gemspec: an engine or gem's runtime and development dependencies. */
export const readGemspec: Reader = (text, file) => {
  const out: PackageRef[] = [];
  forEachLine(text, (line, n) => {
    const m =
      /\badd_(?:runtime_|development_)?dependency\s*\(?\s*['"]([^'"]+)['"](?:\s*,\s*['"]([^'"]+)['"])?/.exec(
        line,
      );
    if (m)
      out.push({
        ecosystem: 'rubygems',
        name: m[1]!,
        version: coerceVersion(m[2]),
        resolved: false,
        file,
        line: n,
      });
  });
  return read(out);
};

/**
 * Gemfile.lock: every gem in the GEM, GIT and PATH sections' specs (direct and transitive, at
 * four spaces), and the DEPENDENCIES section (direct, at two spaces; `name!` is a git or path gem).
 */
export const readGemfileLock: Reader = (text, file) => {
  const out: PackageRef[] = [];
  let section = '';
  forEachLine(text, (line, n) => {
    if (/^[A-Z]/.test(line)) {
      section = line.trim();
      return;
    }
    if (section === 'DEPENDENCIES') {
      const m = /^ {2}([A-Za-z0-9_.-]+)!?(?: \(([^)]*)\))?\s*$/.exec(line);
      if (m)
        out.push({
          ecosystem: 'rubygems',
          name: m[1]!,
          version: coerceVersion(m[2]),
          resolved: false,
          file,
          line: n,
        });
      return;
    }
    const m = /^ {4}([A-Za-z0-9_.-]+) \(([^)\s]+)\)\s*$/.exec(line);
    if (m)
      out.push({
        ecosystem: 'rubygems',
        name: m[1]!,
        version: m[2]!,
        resolved: true,
        file,
        line: n,
      });
  });
  return read(out);
};
