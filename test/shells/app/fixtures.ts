import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const EXAMPLES = new URL('../../../examples/', import.meta.url).pathname;

/** An example service's files as a path → text map, to seed the fake GitHub. */
export function exampleFiles(name: string): Record<string, string> {
  const root = join(EXAMPLES, name);
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const full = join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else out[relative(root, full)] = readFileSync(full, 'utf8');
    }
  };
  walk(root);
  return out;
}

export function withManifest(
  files: Record<string, string>,
  edit: (yaml: string) => string,
): Record<string, string> {
  return { ...files, 'service.yml': edit(files['service.yml']!) };
}
