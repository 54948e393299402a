import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const manifest = parse(readFileSync(new URL('../../../app.yml', import.meta.url), 'utf8')) as {
  default_events: string[];
  default_permissions: Record<string, string>;
};
const appSource = readFileSync(
  new URL('../../../src/shells/app/handlers.ts', import.meta.url),
  'utf8',
);

describe('app.yml', () => {
  it('subscribes to exactly the events the app handles', () => {
    const onArguments = [...appSource.matchAll(/app\.on\(\s*(\[[^\]]*\]|'[^']*')/g)].map(
      (m) => m[1]!,
    );
    const handled = new Set(
      onArguments.flatMap((a) => [...a.matchAll(/'([a-z_]+)/g)].map((m) => m[1]!)),
    );
    handled.delete('installation');
    handled.delete('installation_repositories');
    expect([...handled].sort()).toEqual([...manifest.default_events].sort());
  });

  it('asks for least privilege: nothing is written but checks and pull-request comments', () => {
    expect(manifest.default_permissions).toEqual({
      checks: 'write',
      contents: 'read',
      pull_requests: 'write',
      metadata: 'read',
      members: 'read',
    });
  });
});
