import { z } from 'zod';
import { MANIFEST_SCHEMA_URL } from './load.js';
import { manifestSchema } from './schema.js';

// Apart from schema.ts so that `service-gate check` does not load zod's JSON Schema generator.

/** Where the committed schemas are published: beside the one editors are pointed to. */
const PUBLISHED_AT = MANIFEST_SCHEMA_URL.slice(0, MANIFEST_SCHEMA_URL.lastIndexOf('/') + 1);

/**
 * The two builds of the schema: the current draft for editors that read it from the
 * repository, and draft-07 under a specific name for SchemaStore, which lists draft-07
 * schemas and matches them to file names.
 */
export const SCHEMA_BUILDS = {
  'draft-2020-12': { file: 'service.schema.json', target: 'draft-2020-12' },
  'draft-07': { file: 'service-gate.service.schema.json', target: 'draft-7' },
} as const;
export type SchemaBuild = keyof typeof SCHEMA_BUILDS;

export interface JsonSchemaOptions {
  build?: SchemaBuild;
  /** Rule pack ids to suggest for `standards` (any other id is still allowed: custom packs). */
  packIds?: readonly string[];
}

/** The JSON Schema of service.yml, generated from the zod schema (committed under schema/). */
export function manifestJsonSchema(options: JsonSchemaOptions = {}): Record<string, unknown> {
  const build = SCHEMA_BUILDS[options.build ?? 'draft-2020-12'];
  const schema = z.toJSONSchema(manifestSchema, {
    io: 'input',
    unrepresentable: 'any',
    target: build.target,
  }) as Record<string, unknown> & { $schema?: string; properties: Record<string, unknown> };
  const { $schema, ...rest } = schema;
  if (options.packIds?.length) {
    const standards = rest.properties.standards as { items: Record<string, unknown> };
    // Both forms so an editor offers the bundled ids and still accepts a custom pack's id.
    standards.items = {
      anyOf: [{ enum: [...options.packIds].sort() }, standards.items],
    };
  }
  return {
    $schema,
    $id: `${PUBLISHED_AT}${build.file}`,
    title: 'service.yml',
    ...rest,
  };
}
