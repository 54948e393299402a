import { MAX_PATH_DEPTH } from '../core/evidence/evidence-files.js';
import { BlobReader, type BlobBudget } from './blob-reader.js';
import type { GitHub } from './client.js';
import { GitHubScm } from './scm.js';

/**
 * Reads many repositories for a portfolio audit in few requests, through the same Scm as the
 * App (GitHubScm), so the audit selects and reads exactly the files `check` does:
 *
 * 1. One GraphQL request lists 50 repositories with each default branch's commit and its tree to
 *    MAX_PATH_DEPTH levels, with every file's size (paths and sizes first).
 * 2. The judge of each repository asks its Scm for service.yml, its policy file and the evidence
 *    files (one selection list, src/core/evidence/evidence-files.ts). Repositories are judged
 *    together, so their reads batch into GraphQL requests of up to 500 files and 4 MiB by the
 *    listed sizes. Nothing over the size limits is fetched, and a blob GitHub truncates is read
 *    whole through REST (see BlobReader), never judged from its start.
 */

export const REPOSITORIES_PER_PAGE = 50;
/** Reads for an audit: many small files per request, bounded by the sizes the tree gave. */
export const AUDIT_BLOB_BUDGET: BlobBudget = { filesPerQuery: 500, bytesPerQuery: 4 * 1024 * 1024 };

export interface ListedRepository {
  owner: string;
  name: string;
  fullName: string;
  archived: boolean;
  fork: boolean;
  empty: boolean;
  topics: string[];
  /** The default branch's commit and its files (to MAX_PATH_DEPTH) with their sizes. */
  head?: ListedTree;
}

export interface ListedTree {
  oid: string;
  files: Map<string, number>;
}

interface GraphEntry {
  name: string;
  type: string;
  object?: { byteSize?: number; entries?: GraphEntry[] } | null;
}

interface RepositoryNode {
  name: string;
  nameWithOwner: string;
  isArchived: boolean;
  isFork: boolean;
  isEmpty: boolean;
  repositoryTopics?: { nodes: { topic: { name: string } }[] };
  defaultBranchRef?: { target?: { oid?: string; tree?: { entries?: GraphEntry[] } } | null } | null;
}

/** Tree fragments T1 (the root) to T{MAX_PATH_DEPTH}: GraphQL has no recursion, so it is unrolled. */
function treeFragments(): string {
  const out: string[] = [];
  for (let level = MAX_PATH_DEPTH; level >= 1; level--) {
    const deeper = level < MAX_PATH_DEPTH ? ` ...T${level + 1}` : '';
    out.push(
      `fragment T${level} on Tree { entries { name type object { ... on Blob { byteSize }${deeper} } } }`,
    );
  }
  return out.join('\n');
}

const HEAD_FIELDS = 'defaultBranchRef { target { oid ... on Commit { tree { ...T1 } } } }';

/** Paths and sizes from a depth-limited tree; a folder at the last level shows as `folder/.keep`. */
function flatten(
  entries: GraphEntry[] | undefined,
  prefix: string,
  out: Map<string, number>,
): void {
  for (const e of entries ?? []) {
    const path = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.type === 'blob') out.set(path, e.object?.byteSize ?? 0);
    else if (e.type === 'tree') {
      if (e.object?.entries) flatten(e.object.entries, path, out);
      else out.set(`${path}/.keep`, 0);
    }
  }
}

function listedTree(
  node: Pick<RepositoryNode, 'defaultBranchRef'> | null | undefined,
): ListedTree | undefined {
  const target = node?.defaultBranchRef?.target;
  if (!target?.oid) return undefined;
  const files = new Map<string, number>();
  flatten(target.tree?.entries, '', files);
  return { oid: target.oid, files };
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
  organization(login: $org) { repositories(first: ${REPOSITORIES_PER_PAGE}, after: $after, orderBy: {field: NAME, direction: ASC}) {
    nodes { name nameWithOwner isArchived isFork isEmpty repositoryTopics(first: 20) { nodes { topic { name } } } ${HEAD_FIELDS} }
    pageInfo { hasNextPage endCursor }
  } }
}
${treeFragments()}`,
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
        head: listedTree(n),
      });
    }
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);
  return out;
}

/** Lists the trees of named repositories (not from an organisation listing), 50 per request. */
export async function listTrees(
  github: GitHub,
  repos: readonly { owner: string; name: string }[],
): Promise<Map<string, ListedTree | undefined>> {
  const out = new Map<string, ListedTree | undefined>();
  for (let i = 0; i < repos.length; i += REPOSITORIES_PER_PAGE) {
    const batch = repos.slice(i, i + REPOSITORIES_PER_PAGE);
    const variables: Record<string, string> = {};
    const fields = batch.map((r, j) => {
      variables[`o${j}`] = r.owner;
      variables[`n${j}`] = r.name;
      return `r${j}: repository(owner: $o${j}, name: $n${j}) { ${HEAD_FIELDS} }`;
    });
    const declarations = Object.keys(variables)
      .map((v) => `$${v}: String!`)
      .join(', ');
    let data: Record<string, RepositoryNode | null>;
    try {
      data = await github.graphql(
        `query ServiceGateTrees(${declarations}) {\n${fields.join('\n')}\n}\n${treeFragments()}`,
        variables,
      );
    } catch (e) {
      const partial = e as { data?: typeof data; errors?: { type?: string }[] };
      if (!partial.data || !partial.errors?.every((x) => x.type === 'NOT_FOUND')) throw e;
      data = partial.data;
    }
    batch.forEach((r, j) => out.set(`${r.owner}/${r.name}`, listedTree(data[`r${j}`])));
  }
  return out;
}

/**
 * An Scm for each listed repository, sharing one blob reader so that repositories judged
 * together share requests. A repository with no commit has an empty tree.
 */
export function auditScms(
  github: GitHub,
  repos: readonly { owner: string; name: string; head?: ListedTree }[],
): { scms: Map<string, GitHubScm>; blobs: BlobReader } {
  const blobs = new BlobReader(github, AUDIT_BLOB_BUDGET);
  const scms = new Map<string, GitHubScm>();
  for (const r of repos) {
    const head = r.head ?? { oid: 'HEAD', files: new Map<string, number>() };
    scms.set(
      `${r.owner}/${r.name}`,
      new GitHubScm(github, blobs, r.owner, r.name, head.oid, head.files),
    );
  }
  return { scms, blobs };
}
