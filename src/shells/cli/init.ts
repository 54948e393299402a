import { basename } from 'node:path';
import { stringify } from 'yaml';
import type { Evidence } from '../../core/evidence/detect.js';
import { PLATFORM_CATEGORIES } from '../../core/domain/catalogue.js';
import { MANIFEST_SCHEMA_URL } from '../../core/manifest/load.js';

/** A starter service.yml: what the evidence shows, and TODOs for what only the team knows. */
export function starterManifest(dir: string, evidence: Evidence, packageName?: string): string {
  const name = (packageName ?? basename(dir)).replace(/^@[^/]+\//, '');
  const body: Record<string, unknown> = {
    name,
    description: 'TODO: the user problem this service solves, in one paragraph',
    owner: { organisation: 'TODO: your department', team: 'TODO', contact: 'TODO: team mailbox' },
    phase: 'discovery',
  };
  const ds = evidence.design_systems.find((d) => !d.unmaintained) ?? evidence.design_systems[0];
  if (ds) body.design_system = ds.version ? { name: ds.id, version: ds.version } : { name: ds.id };
  const platforms: Record<string, string> = {};
  for (const category of PLATFORM_CATEGORIES) {
    const found = evidence.platforms.find((p) => p.category === category);
    if (found) platforms[category] = found.id;
  }
  if (Object.keys(platforms).length > 0) body.platforms = platforms;
  // A licence file says the code may be reused, not that the repository is public: ask.
  if (evidence.practices.licence)
    body.source = { public: 'TODO: true if this repository is public, false if not' };
  const header = [
    `# yaml-language-server: $schema=${MANIFEST_SCHEMA_URL}`,
    '# service.yml: describes this service for Service Gate.',
    '# Reference: https://github.com/service-gate/service-gate#serviceyml-reference',
    '# Check it with: npx service-gate check (it reports each TODO still to fill in)',
    '',
  ].join('\n');
  return `${header}${stringify(body, { lineWidth: 0 })}`;
}
