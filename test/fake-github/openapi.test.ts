import { describe, expect, it } from 'vitest';
import { openApiProblems } from './openapi.js';

describe('the OpenAPI request check itself', () => {
  const req = (
    method: string,
    path: string,
    body?: unknown,
    query: Record<string, string> = {},
  ) => ({ method, path, body, query });

  it('accepts a valid check-run update and rejects an invalid conclusion', () => {
    expect(
      openApiProblems([
        req('PATCH', '/repos/o/r/check-runs/1', { status: 'completed', conclusion: 'success' }),
      ]),
    ).toEqual([]);
    expect(
      openApiProblems([req('PATCH', '/repos/o/r/check-runs/1', { conclusion: 'great' })])[0],
    ).toMatch(/checks\/update/);
  });

  it('rejects unknown operations and undeclared query parameters', () => {
    expect(openApiProblems([req('DELETE', '/repos/o/r/check-runs/1')])[0]).toMatch(
      /no such operation/,
    );
    expect(
      openApiProblems([
        req('GET', '/repos/o/r/commits/abc/check-runs', undefined, { colour: 'blue' }),
      ])[0],
    ).toMatch(/undeclared query parameter 'colour'/);
  });
});
