import type { ExtraField } from './blob-reader.js';
import type { GitHub } from './client.js';
import { COMMENT_MARKER } from './pr-comment.js';

/** What already exists on GitHub for one evaluation: this app's check runs and PR comment. */
export interface PublishState {
  /** This app's check runs on the head SHA, by name (the newest of each name). */
  checkRuns: Map<string, { id: number; status: string }>;
  /** The pull request's head as GitHub sees it now; undefined when there is no PR. */
  prHead?: string;
  /** The app's own marked comment on the PR, if any. */
  comment?: { id: number; body: string };
}

export interface PublishTarget {
  owner: string;
  repo: string;
  headSha: string;
  /** The app whose check runs on `headSha` are looked up; the Action has none, and looks up only its comment. */
  appId?: number;
  prNumber?: number;
}

const COMMENTS_PER_PAGE = 100;
const MAX_COMMENT_PAGES = 100;

interface CommentPage {
  nodes: { databaseId: number; body: string; viewerDidAuthor: boolean }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

interface Raw {
  commit?: {
    checkSuites?: {
      nodes: { checkRuns?: { nodes: { databaseId: number; name: string; status: string }[] } }[];
    };
  } | null;
  pullRequest?: { headRefOid: string; comments: CommentPage } | null;
}

const commentsSelection = (after: string) =>
  `comments(first: ${COMMENTS_PER_PAGE}${after}) { nodes { databaseId body viewerDidAuthor } pageInfo { hasNextPage endCursor } }`;

/**
 * The lookup as a field of the GraphQL request that reads the files (no request of its own):
 * `Commit.checkSuites(filterBy: {appId})` → check runs, and the PR's comments with
 * `viewerDidAuthor`, so only comments written by this app's (or the Action token's) own
 * identity are considered.
 */
export function publishStateField(t: PublishTarget): ExtraField<{ raw: Raw | null }> {
  return {
    build: (alias) => ({
      selection: [
        `${alias}: repository(owner: $${alias}_owner, name: $${alias}_name) {`,
        t.appId === undefined
          ? ''
          : ` commit: object(expression: $${alias}_sha) { ... on Commit { checkSuites(first: 20, filterBy: {appId: $${alias}_app}) { nodes { checkRuns(first: 50) { nodes { databaseId name status } } } } } }`,
        t.prNumber === undefined
          ? ''
          : ` pullRequest(number: $${alias}_pr) { headRefOid ${commentsSelection('')} }`,
        ' }',
      ].join(''),
      variables: {
        [`${alias}_owner`]: ['String!', t.owner],
        [`${alias}_name`]: ['String!', t.repo],
        ...(t.appId === undefined
          ? {}
          : { [`${alias}_sha`]: ['String!', t.headSha], [`${alias}_app`]: ['Int!', t.appId] }),
        ...(t.prNumber === undefined ? {} : { [`${alias}_pr`]: ['Int!', t.prNumber] }),
      },
    }),
    parse: (value) => ({ raw: value as Raw | null }),
  };
}

/** Turns the raw field into a PublishState, reading further comment pages only if needed. */
export async function resolvePublishState(
  github: GitHub,
  t: PublishTarget,
  raw: Raw | null,
): Promise<PublishState> {
  const checkRuns = new Map<string, { id: number; status: string }>();
  for (const suite of raw?.commit?.checkSuites?.nodes ?? [])
    for (const run of suite.checkRuns?.nodes ?? []) {
      const seen = checkRuns.get(run.name);
      if (!seen || run.databaseId > seen.id)
        checkRuns.set(run.name, { id: run.databaseId, status: run.status.toLowerCase() });
    }
  const pr = raw?.pullRequest;
  if (t.prNumber === undefined || !pr) return { checkRuns };
  let page: CommentPage = pr.comments;
  let comment = mine(page);
  for (let n = 1; !comment && page.pageInfo.hasNextPage && n < MAX_COMMENT_PAGES; n++) {
    const next = await github.graphql<{ repository: { pullRequest: { comments: CommentPage } } }>(
      `query ServiceGateComments($owner: String!, $name: String!, $pr: Int!, $after: String!) { repository(owner: $owner, name: $name) { pullRequest(number: $pr) { ${commentsSelection(', after: $after')} } } }`,
      { owner: t.owner, name: t.repo, pr: t.prNumber, after: page.pageInfo.endCursor },
    );
    page = next.repository.pullRequest.comments;
    comment = mine(page);
  }
  return { checkRuns, prHead: pr.headRefOid, comment };
}

function mine(page: CommentPage): { id: number; body: string } | undefined {
  const found = page.nodes.find((c) => c.viewerDidAuthor && c.body.includes(COMMENT_MARKER));
  return found && { id: found.databaseId, body: found.body };
}
