import { forEachLine, type PackageRef, read, type Reader } from './common.js';

/** go.mod: `require` lines and blocks (module versions are exact). */
export const readGoMod: Reader = (text, file) => {
  const out: PackageRef[] = [];
  let inBlock = false;
  forEachLine(text, (raw, n) => {
    const line = raw.replace(/\/\/.*/, '').trim();
    if (/^require\s*\($/.test(line)) inBlock = true;
    else if (inBlock && line === ')') inBlock = false;
    else {
      const m = (inBlock ? /^(\S+)\s+v(\S+)/ : /^require\s+(\S+)\s+v(\S+)/).exec(line);
      if (m)
        out.push({ ecosystem: 'go', name: m[1]!, version: m[2]!, resolved: true, file, line: n });
    }
  });
  return read(out);
};
