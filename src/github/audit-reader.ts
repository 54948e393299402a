import type { GitHub } from './client.js';

/**
 * Reads many repositories for a portfolio audit in few requests: one GraphQL request lists 100
 * repositories, and one reads service.yml, the main dependency files and the top of the tree
 * for 25 repositories at once (REST would take a request per file).
 */

export const AUDIT_FILES = [
  'service.yml',
  'package.json',
  'package-lock.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'Gemfile',
  'Gemfile.lock',
  'requirements.txt',
  'pyproject.toml',
  'poetry.lock',
  'go.mod',
  '.env.example',
  // Not evidence: the repository's own policy, applied on top of the central one as the App does.
  '.github/service-gate.yml',
];
/** Folders listed so practices (CI, licence, tests, security policy) show without a full tree. */
const AUDIT_TREES = ['', '.github', '.github/workflows'];
export const REPOSITORIES_PER_QUERY = 25;

export interface ListedRepository {
  owner: string;
  name: string;
  fullName: string;
  archived: boolean;
  fork: boolean;
  empty: boolean;
  topics: string[];
}

interface RepositoryNode {
  name: string;
  nameWithOwner: string;
  isArchived: boolean;
  isFork: boolean;
  isEmpty: boolean;
  repositoryTopics?: { nodes: { topic: { name: string } }[] };
}

export async function listOrganisationRepositories(
  github: GitHub,
  org: string,
): Promise<ListedRepository[]> {
  const out: ListedRepository[] = [];
  let after: string | null = null;
  do {
    const data: {
      organization: {
        repositories: {
          nodes: RepositoryNode[];
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
        };
      } | null;
    } = await github.graphql(
      `query ServiceGateRepositories($org: String!, $after: String) {
  organization(login: $org) { repositories(first: 100, after: $after, orderBy: {field: NAME, direction: ASC}) {
    nodes { name nameWithOwner isArchived isFork isEmpty repositoryTopics(first: 20) { nodes { topic { name } } } }
    pageInfo { hasNextPage endCursor }
  } }
}`,
      { org, after },
    );
    if (!data.organization)
      throw new Error(`There is no organisation called '${org}', or the token cannot see it.`);
    const page = data.organization.repositories;
    for (const n of page.nodes) {
      out.push({
        owner: n.nameWithOwner.split('/')[0]!,
        name: n.name,
        fullName: n.nameWithOwner,
        archived: n.isArchived,
        fork: n.isFork,
        empty: n.isEmpty,
        topics: n.repositoryTopics?.nodes.map((t) => t.topic.name) ?? [],
      });
    }
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);
  return out;
}

export interface RepositoryContents {
  files: Map<string, string>;
  paths: string[];
}

type Entry = { name: string; type: string };
type Fields = Record<string, { text?: string | null; entries?: Entry[] } | null>;

/** Reads the audit files of the given repositories, 25 per GraphQL request, in order. */
export async function readRepositories(
  github: GitHub,
  repos: readonly { owner: string; name: string }[],
  onBatch?: () => void,
): Promise<Map<string, RepositoryContents>> {
  const out = new Map<string, RepositoryContents>();
  for (let i = 0; i < repos.length; i += REPOSITORIES_PER_QUERY) {
    const batch = repos.slice(i, i + REPOSITORIES_PER_QUERY);
    const lines = batch.map((r, j) => {
      const files = AUDIT_FILES.map(
        (f, k) =>
          `f${k}: object(expression: ${JSON.stringify(`HEAD:${f}`)}) { ... on Blob { text } }`,
      );
      const trees = AUDIT_TREES.map(
        (t, k) =>
          `t${k}: object(expression: ${JSON.stringify(`HEAD:${t}`)}) { ... on Tree { entries { name type } } }`,
      );
      return `r${j}: repository(owner: ${JSON.stringify(r.owner)}, name: ${JSON.stringify(r.name)}) { ${[...files, ...trees].join(' ')} }`;
    });
    let data: Record<string, Fields | null>;
    try {
      data = await github.graphql(`query ServiceGateAudit {\n${lines.join('\n')}\n}`);
    } catch (e) {
      const partial = e as { data?: typeof data; errors?: { type?: string }[] };
      if (!partial.data || !partial.errors?.every((x) => x.type === 'NOT_FOUND')) throw e;
      data = partial.data;
    }
    batch.forEach((r, j) => {
      const fields = data[`r${j}`] ?? {};
      const files = new Map<string, string>();
      AUDIT_FILES.forEach((f, k) => {
        const text = fields[`f${k}`]?.text;
        if (typeof text === 'string') files.set(f, text);
      });
      const paths = new Set(files.keys());
      AUDIT_TREES.forEach((t, k) => {
        for (const e of fields[`t${k}`]?.entries ?? []) {
          const path = t ? `${t}/${e.name}` : e.name;
          // A folder shows as a placeholder file, so "has a test/ folder" globs can match it.
          paths.add(e.type === 'tree' ? `${path}/.keep` : path);
        }
      });
      out.set(`${r.owner}/${r.name}`, { files, paths: [...paths] });
    });
    onBatch?.();
  }
  return out;
}
