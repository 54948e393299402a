import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { validate as validateGraphQL } from '@octokit/graphql-schema';
import type { RecordedRequest } from './server.js';

/**
 * Checks requests against GitHub's own OpenAPI description (@octokit/openapi): the operation
 * must exist for the method and path, query parameters must be declared, and a JSON body must
 * match the request-body schema. GraphQL requests are checked against GitHub's GraphQL schema
 * (@octokit/graphql-schema) instead: every field, argument and variable type must exist.
 */
const spec = createRequire(import.meta.url)(
  '@octokit/openapi/generated/api.github.com.deref.json',
) as {
  paths: Record<string, Record<string, Operation>>;
};

interface Operation {
  operationId: string;
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, { schema: object }> };
}

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
(addFormats as unknown as (a: Ajv) => void)(ajv);
const templates = Object.keys(spec.paths).map((template) => ({
  template,
  re: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
  params: (template.match(/\{/g) ?? []).length,
}));
const validators = new Map<string, ReturnType<Ajv['compile']>>();

export function openApiProblems(
  requests: readonly Pick<RecordedRequest, 'method' | 'path' | 'query' | 'body'>[],
): string[] {
  const problems: string[] = [];
  for (const r of requests) {
    if (r.path === '/graphql') {
      const query = (r.body as { query?: unknown } | undefined)?.query;
      if (typeof query !== 'string') problems.push('POST /graphql: no query');
      else
        for (const e of validateGraphQL(query))
          problems.push(`POST /graphql: ${e.message} (${query.split('\n')[0]})`);
      continue;
    }
    const candidates = templates
      .filter((t) => t.re.test(r.path) && spec.paths[t.template]![r.method.toLowerCase()])
      .sort((a, b) => a.params - b.params);
    const match = candidates[0];
    if (!match) {
      problems.push(`${r.method} ${r.path}: no such operation in GitHub's OpenAPI description`);
      continue;
    }
    const op = spec.paths[match.template]![r.method.toLowerCase()]!;
    const declared = new Set(
      (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
    );
    for (const q of Object.keys(r.query))
      if (!declared.has(q))
        problems.push(`${r.method} ${match.template}: undeclared query parameter '${q}'`);
    const schema = op.requestBody?.content['application/json']?.schema;
    if (schema && r.body !== undefined) {
      let validate = validators.get(op.operationId);
      if (!validate) {
        validate = ajv.compile(withoutBareNullable(schema));
        validators.set(op.operationId, validate);
      }
      if (!validate(r.body))
        problems.push(
          `${r.method} ${match.template} (${op.operationId}): ${ajv.errorsText(validate.errors)}`,
        );
    }
  }
  return [...new Set(problems)];
}

/** GitHub's description uses OpenAPI's `nullable` beside `anyOf` without a `type`, which Ajv refuses. */
function withoutBareNullable(schema: unknown): object {
  return JSON.parse(JSON.stringify(schema), (_key, value: unknown) => {
    if (
      value &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      'nullable' in value &&
      !('type' in value)
    ) {
      const { nullable: _nullable, ...rest } = value as Record<string, unknown>;
      return rest;
    }
    return value;
  }) as object;
}
