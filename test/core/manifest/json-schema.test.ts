import Ajv2020 from 'ajv/dist/2020.js';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { manifestJsonSchema, SCHEMA_BUILDS } from '../../../src/core/manifest/json-schema.js';
import { MANIFEST_LIMITS } from '../../../src/core/manifest/schema.js';
import { cli, ROOT } from '../../helpers/cli.js';
import { MANIFEST_SCHEMA_URL } from '../../../src/core/manifest/load.js';

const EXAMPLES = join(ROOT, 'examples');
const exampleManifests = readdirSync(EXAMPLES, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => [d.name, parse(readFileSync(join(EXAMPLES, d.name, 'service.yml'), 'utf8'))]);

function validators() {
  const modern = addFormats.default(new Ajv2020.default({ strict: false, allErrors: true }));
  const draft07 = addFormats.default(new Ajv.default({ strict: false, allErrors: true }));
  return {
    'draft-2020-12': modern.compile(manifestJsonSchema({ build: 'draft-2020-12' })),
    'draft-07': draft07.compile(manifestJsonSchema({ build: 'draft-07' })),
  };
}

/** Every property schema under `properties`, with its dotted path. */
function properties(schema: Record<string, unknown>, at = ''): [string, Record<string, unknown>][] {
  const out: [string, Record<string, unknown>][] = [];
  const visit = (node: unknown, path: string) => {
    if (node === null || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    for (const [k, v] of Object.entries((n.properties as Record<string, unknown>) ?? {})) {
      out.push([`${path}${k}`, v as Record<string, unknown>]);
      visit(v, `${path}${k}.`);
    }
    if (n.items) visit(n.items, `${path}[].`);
    for (const k of ['anyOf', 'oneOf'])
      for (const alt of (n[k] as unknown[]) ?? []) visit(alt, path);
  };
  visit(schema, at);
  return out;
}

describe('the JSON Schemas of service.yml', () => {
  it('both builds accept every bundled example and reject what the zod schema rejects', () => {
    for (const [build, validate] of Object.entries(validators())) {
      for (const [name, manifest] of exampleManifests) {
        expect(
          validate(manifest) ? [] : [build, name, validate.errors],
          `${build} ${name}`,
        ).toEqual([]);
      }
      expect(validate({ name: 'X', phase: 'pubic-beta' }), build).toBe(false);
      expect(validate({ name: 'X', phase: 'alpha', owner: { organisaton: 'HMRC' } }), build).toBe(
        false,
      );
      expect(
        validate({
          name: 'X',
          phase: 'alpha',
          research: Array.from({ length: MANIFEST_LIMITS.research + 1 }, () => ({
            date: '2026-01-01',
            method: 'interviews',
            participants: 5,
          })),
        }),
        build,
      ).toBe(false);
    }
  });

  it('document every form of a platform entry, with an example of integrated_in', () => {
    for (const [build, validate] of Object.entries(validators())) {
      const platforms = (identity: unknown) =>
        validate({ name: 'X', phase: 'alpha', platforms: { identity } });
      expect(platforms('govuk-one-login'), build).toBe(true);
      expect(platforms({ own: 'Our users sign in with their council account' }), build).toBe(true);
      expect(platforms({ id: 'govuk-one-login', integrated_in: 'hmpo/identity' }), build).toBe(
        true,
      );
      expect(platforms({ id: 'govuk-pay', integrated_in: 'hmpo/identity' }), build).toBe(false);
      expect(platforms({ id: 'govuk-one-login', integrated_in: 'not a repo' }), build).toBe(false);
      expect(platforms({ id: 'govuk-one-login' }), build).toBe(false);
    }
    const identity = properties(manifestJsonSchema()).find(([p]) => p === 'platforms.identity')!;
    const elsewhere = (identity[1].anyOf as Record<string, unknown>[]).find(
      (f) => (f.properties as Record<string, unknown> | undefined)?.integrated_in,
    )!;
    expect(elsewhere.examples).toEqual([
      { id: 'govuk-one-login', integrated_in: 'my-department/shared-integrations' },
    ]);
    expect(identity[1].description).toContain('integrated_in');
  });

  it('declare their draft and a resolvable $id naming their own file', () => {
    for (const [build, { file }] of Object.entries(SCHEMA_BUILDS)) {
      const schema = manifestJsonSchema({ build: build as keyof typeof SCHEMA_BUILDS });
      expect(schema.$id).toBe(
        `https://raw.githubusercontent.com/service-gate/service-gate/main/schema/${file}`,
      );
      expect(schema.$schema).toBe(
        build === 'draft-07'
          ? 'http://json-schema.org/draft-07/schema#'
          : 'https://json-schema.org/draft/2020-12/schema',
      );
    }
    expect(SCHEMA_BUILDS['draft-07'].file).toBe('service-gate.service.schema.json');
    // The modeline `init` writes points at the schema whose $id it is.
    expect(manifestJsonSchema().$id).toBe(MANIFEST_SCHEMA_URL);
  });

  it('describe every property, so editors show what each key means', () => {
    const all = properties(manifestJsonSchema());
    expect(all.length).toBeGreaterThan(60);
    const undescribed = all
      .filter(([, s]) => typeof s.description !== 'string' && !(s.anyOf || s.oneOf))
      .map(([p]) => p);
    expect(undescribed).toEqual([]);
  });

  it('suggest the bundled pack ids for standards and still allow a custom pack', async () => {
    const schema = JSON.parse((await cli(['schema'])).stdout) as Record<string, unknown>;
    const properties = schema.properties as Record<
      string,
      { items: { anyOf: { enum?: string[] }[] } }
    >;
    const items = properties.standards!.items;
    expect(items.anyOf[0]!.enum).toContain('gds-service-standard');
    expect(items.anyOf[0]!.enum).toContain('us-21st-century-idea');
    expect(items.anyOf[0]!.enum).not.toContain('service-gate-core');
    const validate = addFormats.default(new Ajv2020.default({ strict: false })).compile(schema);
    expect(validate({ name: 'X', phase: 'alpha', standards: ['dept-extras'] })).toBe(true);
  });

  it('are committed exactly as `service-gate schema` prints them', async () => {
    expect((await cli(['schema'])).stdout).toBe(
      readFileSync(join(ROOT, 'schema', SCHEMA_BUILDS['draft-2020-12'].file), 'utf8'),
    );
    expect((await cli(['schema', '--draft-07'])).stdout).toBe(
      readFileSync(join(ROOT, 'schema', SCHEMA_BUILDS['draft-07'].file), 'utf8'),
    );
  });

  it('the README states the list limits the schema enforces', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const limits = readme.match(/\*\*Limits\.\*\*[^\n]*/)?.[0] ?? '';
    for (const [key, value] of Object.entries({
      assessments: MANIFEST_LIMITS.assessments,
      'research rounds': MANIFEST_LIMITS.research,
      roles: MANIFEST_LIMITS.roles,
      KPIs: MANIFEST_LIMITS.kpis,
      standards: MANIFEST_LIMITS.standards,
      channels: MANIFEST_LIMITS.channels,
    }))
      expect(limits, key).toContain(`${value} ${key}`);
  });
});
