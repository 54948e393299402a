import { basename } from 'node:path';
import { stringify } from 'yaml';
import type { Evidence } from '../../core/evidence/detect.js';
import { PLATFORM_CATEGORIES } from '../../core/domain/catalogue.js';
import { DESIGN_SYSTEMS, type Jurisdiction, PLATFORMS } from '../../core/domain/signals.js';
import { MANIFEST_SCHEMA_URL } from '../../core/manifest/load.js';

/** A rule pack as init chooses among them: its id and whose government's standard it is. */
export interface PackChoice {
  id: string;
  jurisdiction: string;
}

/**
 * The standards a repository's evidence points to: where every design system and platform found
 * belongs to one government other than the UK's (whose packs are the default), that government's
 * packs and the packs for any government (accessibility). Mixed or no evidence suggests nothing,
 * and the policy's default packs apply.
 */
export function suggestStandards(
  evidence: Evidence,
  packs: readonly PackChoice[],
  core: readonly string[],
): string[] {
  const governments = new Set<Jurisdiction>();
  for (const d of evidence.design_systems) {
    const j = DESIGN_SYSTEMS.find((x) => x.id === d.id)?.jurisdiction;
    if (j && j !== 'any') governments.add(j);
  }
  for (const p of evidence.platforms) {
    const j = PLATFORMS.find((x) => x.id === p.id)?.jurisdiction;
    if (j && j !== 'any') governments.add(j);
  }
  const [government] = governments;
  if (governments.size !== 1 || government === 'uk') return [];
  const own = packs.filter((p) => p.jurisdiction === government && !core.includes(p.id));
  if (own.length === 0) return [];
  const shared = packs.filter((p) => p.jurisdiction === 'any' && !core.includes(p.id));
  return [...own, ...shared].map((p) => p.id);
}

/** A starter service.yml: what the evidence shows, and TODOs for what only the team knows. */
export function starterManifest(
  dir: string,
  evidence: Evidence,
  options: { packageName?: string; standards?: readonly string[] } = {},
): string {
  const packageName = options.packageName;
  const name = (packageName ?? basename(dir)).replace(/^@[^/]+\//, '');
  const body: Record<string, unknown> = {
    name,
    description: 'TODO: the user problem this service solves, in one paragraph',
    owner: { organisation: 'TODO: your department', team: 'TODO', contact: 'TODO: team mailbox' },
    phase: 'discovery',
  };
  if (options.standards?.length) body.standards = [...options.standards];
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
