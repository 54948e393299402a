import { z } from 'zod';
import { manifestSchema } from './schema.js';

// Apart from schema.ts so that `service-gate check` does not load zod's JSON Schema generator.

/** The JSON Schema of service.yml, generated from the zod schema (committed as schema/service.schema.json). */
export function manifestJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(manifestSchema, { io: 'input', unrepresentable: 'any' });
  return {
    $id: 'https://github.com/service-gate/service-gate/schema/service.schema.json',
    title: 'service.yml',
    ...schema,
  };
}
