import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small, stateful fake of the GitHub REST and GraphQL endpoints Service Gate uses, served
 * over real HTTP on 127.0.0.1. It records every request (for API-budget counts and OpenAPI
 * checks) and can inject faults: 5xx, rate limits with retry-after, hangs, and answers
 * changed into ones GitHub would not give.
 */

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  authorization?: string;
  /** performance.now() when the request arrived. */
  at: number;
}

export interface Fault {
  method?: string;
  path: RegExp;
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Never answer (until the client gives up). */
  hang?: boolean;
  /** Answer as usual, with this change to the body: an answer GitHub would not give. */
  edit?: (body: unknown, request: RecordedRequest) => unknown;
  /** How many matching requests fail; then the fault is spent. */
  times: number;
}

interface Repo {
  owner: string;
  name: string;
  defaultBranch: string;
  commits: Map<string, Map<string, string>>;
  head: string;
  archived?: boolean;
  fork?: boolean;
  /** Default-branch commits, newest first. */
  history: string[];
}

export interface CheckRunRecord {
  id: number;
  owner: string;
  repo: string;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  output: { title?: string; summary?: string };
  annotations: unknown[];
  app_id: number;
  details_url?: string;
  /** performance.now() when the run was completed. */
  completedAt?: number;
}

/** A webhook delivery as GitHub records it (GET /app/hook/deliveries), with what was sent. */
export interface DeliveryRecord {
  id: number;
  guid: string;
  delivered_at: string;
  redelivery: boolean;
  duration: number;
  status: string;
  status_code: number;
  event: string;
  action: string | null;
  installation_id: number | null;
  repository_id: number | null;
  payload: unknown;
}

export interface CommentRecord {
  id: number;
  body: string;
  user: { login: string; type: string };
}

export class FakeGitHub {
  readonly requests: RecordedRequest[] = [];
  readonly repos = new Map<string, Repo>();
  readonly checkRuns: CheckRunRecord[] = [];
  readonly comments = new Map<string, CommentRecord[]>();
  readonly reviews = new Map<string, { state: string; user: { login: string } }[]>();
  readonly pulls = new Map<string, unknown>();
  readonly teams = new Map<string, Set<string>>();
  readonly permissions = new Map<string, string>();
  readonly issues = new Map<
    string,
    {
      number: number;
      title: string;
      body: string;
      state: string;
      state_reason: string | null;
      labels: string[];
      user: { login: string; type: string };
    }[]
  >();
  readonly deliveries: DeliveryRecord[] = [];
  /** Where this fake sends webhooks (and redeliveries), signed with `secret`. */
  webhook?: { url: string; secret: string };
  faults: Fault[] = [];
  /** GraphQL returns at most this much of a blob's text, with isTruncated (GitHub truncates large blobs). */
  graphqlTextLimit = Infinity;
  url = '';
  #server?: Server;
  #nextId = 1000;

  constructor(
    readonly appId = 4242,
    readonly appSlug = 'service-gate',
  ) {}

  get botLogin(): string {
    return `${this.appSlug}[bot]`;
  }

  addRepo(
    fullName: string,
    files: Record<string, string>,
    options: { sha?: string; defaultBranch?: string; archived?: boolean; fork?: boolean } = {},
  ): string {
    const [owner, name] = fullName.split('/') as [string, string];
    const sha = options.sha ?? sha40(fullName + JSON.stringify(files));
    const existing = this.repos.get(fullName);
    const repo: Repo = existing ?? {
      owner,
      name,
      defaultBranch: options.defaultBranch ?? 'main',
      commits: new Map(),
      head: sha,
      archived: options.archived,
      fork: options.fork,
      history: [],
    };
    repo.commits.set(sha, new Map(Object.entries(files)));
    if (!existing) this.repos.set(fullName, repo);
    else repo.head = sha; // a new commit on the default branch
    repo.history.unshift(sha);
    return sha;
  }

  /** Adds a commit that is not on the default branch (a pull request head). */
  addCommit(fullName: string, files: Record<string, string>): string {
    const repo = this.repos.get(fullName)!;
    const sha = sha40(fullName + JSON.stringify(files) + repo.commits.size);
    repo.commits.set(sha, new Map(Object.entries(files)));
    return sha;
  }

  /**
   * Sends a signed webhook to `webhook.url` and records the delivery as GitHub would: status
   * code 0 when the App could not be reached or the connection broke.
   */
  async deliver(
    event: string,
    payload: Record<string, unknown>,
    options: { guid?: string; redelivery?: boolean; url?: string } = {},
  ): Promise<number> {
    const { secret } = this.webhook!;
    const url = options.url ?? this.webhook!.url;
    const guid = options.guid ?? randomUUID();
    const body = JSON.stringify(payload);
    const started = performance.now();
    let status: number;
    try {
      const res = await fetch(url, {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json',
          'x-github-event': event,
          'x-github-delivery': guid,
          'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
        },
      });
      await res.text();
      status = res.status;
    } catch {
      status = 0;
    }
    this.deliveries.push({
      id: this.#nextId++,
      guid,
      delivered_at: new Date().toISOString(),
      redelivery: !!options.redelivery,
      duration: (performance.now() - started) / 1000,
      status:
        status >= 200 && status < 300
          ? 'OK'
          : status === 0
            ? 'failed to connect'
            : 'Invalid HTTP Response',
      status_code: status,
      event,
      action: (payload.action as string | undefined) ?? null,
      installation_id: (payload.installation as { id?: number } | undefined)?.id ?? null,
      repository_id: null,
      payload,
    });
    return status;
  }

  count(filter: (r: RecordedRequest) => boolean = () => true): number {
    return this.requests.filter(filter).length;
  }

  async start(): Promise<string> {
    this.#server = createServer((req, res) => void this.#handle(req, res));
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()) ?? resolve());
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://x');
    // GitHub Enterprise Server's paths: /api/v3/... for REST, /api/graphql for GraphQL.
    const path = decodeURIComponent(url.pathname)
      .replace(/^\/api\/v3/, '')
      .replace(/^\/api\/graphql$/, '/graphql');
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      query: Object.fromEntries(url.searchParams),
      body: raw ? safeJson(raw) : undefined,
      authorization: req.headers.authorization,
      at: performance.now(),
    };
    this.requests.push(record);

    const fault = this.faults.find(
      (f) => f.times > 0 && (!f.method || f.method === record.method) && f.path.test(path),
    );
    if (fault && !fault.edit) {
      fault.times--;
      if (fault.hang) return; // the client's deadline ends it
      res.writeHead(fault.status ?? 502, { 'content-type': 'application/json', ...fault.headers });
      res.end(JSON.stringify(fault.body ?? { message: 'injected fault' }));
      return;
    }
    try {
      const [status, answer, headers] = this.#route(record);
      if (fault?.edit) fault.times--;
      const body = fault?.edit ? fault.edit(answer, record) : answer;
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(body === undefined ? '' : JSON.stringify(body));
    } catch (e) {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `fake error: ${(e as Error).message}` }));
    }
  }

  #repo(owner: string, name: string): Repo | undefined {
    return this.repos.get(`${owner}/${name}`);
  }

  #files(repo: Repo, ref: string): Map<string, string> | undefined {
    if (ref === 'HEAD' || ref === repo.defaultBranch) return repo.commits.get(repo.head);
    return repo.commits.get(ref);
  }

  #route(r: RecordedRequest): [number, unknown, Record<string, string>?] {
    const m = (pattern: string) => matchPath(pattern, r.path);
    const notFound: [number, unknown] = [
      404,
      { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' },
    ];
    let p: Record<string, string> | undefined;

    if (r.method === 'POST' && (p = m('/app/installations/:id/access_tokens'))) {
      return [
        201,
        {
          token: 'ghs_faketoken_for_tests_only',
          expires_at: new Date(Date.now() + 3600_000).toISOString(),
          permissions: {},
        },
      ];
    }
    if (r.method === 'GET' && r.path === '/app/hook/deliveries') {
      // Newest first, with cursor pagination in the Link header, as GitHub does.
      const newest = [...this.deliveries].reverse();
      const start = Number(r.query.cursor ?? 0);
      const per = Number(r.query.per_page ?? 30);
      const slice = newest.slice(start, start + per);
      const next = start + per < newest.length;
      return [
        200,
        slice.map(({ payload: _payload, ...d }) => d),
        next
          ? {
              link: `<${this.url}/app/hook/deliveries?per_page=${per}&cursor=${start + per}>; rel="next"`,
            }
          : {},
      ];
    }
    if (r.method === 'POST' && (p = m('/app/hook/deliveries/:id/attempts'))) {
      const original = this.deliveries.find((d) => d.id === Number(p!.id));
      if (!original) return notFound;
      setImmediate(
        () =>
          void this.deliver(original.event, original.payload as Record<string, unknown>, {
            guid: original.guid,
            redelivery: true,
          }),
      );
      return [202, {}];
    }
    if (r.method === 'GET' && r.path === '/app')
      return [200, { id: this.appId, slug: this.appSlug, name: 'Service Gate' }];
    if (r.method === 'POST' && r.path === '/graphql')
      return [200, this.#graphql(r.body as { query: string; variables: Record<string, string> })];

    if (r.method === 'GET' && (p = m('/repos/:owner/:repo/git/blobs/:sha'))) {
      const repo = this.#repo(p.owner!, p.repo!);
      const text =
        repo &&
        [...repo.commits.values()].flatMap((f) => [...f.values()]).find((t) => sha40(t) === p!.sha);
      if (text === undefined) return notFound;
      // Asked for raw (application/vnd.github.raw+json), the body is the file itself (sent here
      // as a JSON string, which Octokit decodes to the same text).
      return [200, text];
    }
    if (r.method === 'GET' && (p = m('/repos/:owner/:repo/git/trees/:sha'))) {
      const repo = this.#repo(p.owner!, p.repo!);
      const files = repo && this.#files(repo, p.sha!);
      if (!files) return notFound;
      return [
        200,
        {
          sha: p.sha,
          truncated: false,
          tree: [...files].map(([path, text]) => ({
            path,
            type: 'blob',
            mode: '100644',
            size: Buffer.byteLength(text),
          })),
        },
      ];
    }
    if (r.method === 'GET' && (p = m('/repos/:owner/:repo/commits/:ref/check-runs'))) {
      const runs = this.checkRuns.filter(
        (c) =>
          c.owner === p!.owner &&
          c.repo === p!.repo &&
          c.head_sha === p!.ref &&
          (!r.query.check_name || c.name === r.query.check_name) &&
          (!r.query.app_id || String(c.app_id) === r.query.app_id),
      );
      return [200, { total_count: runs.length, check_runs: page(runs, r.query).map(publicRun) }];
    }
    if (r.method === 'GET' && (p = m('/repos/:owner/:repo/commits'))) {
      const repo = this.#repo(p.owner!, p.repo!);
      if (!repo) return notFound;
      const touching = repo.history.filter(
        (sha) => !r.query.path || repo.commits.get(sha)?.has(r.query.path),
      );
      return [
        200,
        page(
          touching.map((sha) => ({ sha, commit: { committer: { date: '2026-11-01T10:00:00Z' } } })),
          r.query,
        ),
      ];
    }
    if (r.method === 'GET' && (p = m('/repos/:owner/:repo/commits/:ref'))) {
      const repo = this.#repo(p.owner!, p.repo!);
      if (!repo || repo.commits.size === 0) return [409, { message: 'Git Repository is empty.' }];
      return [200, { sha: p.ref === 'HEAD' ? repo.head : p.ref }];
    }
    if (r.method === 'POST' && (p = m('/repos/:owner/:repo/check-runs'))) {
      const b = r.body as Record<string, unknown>;
      const output = b.output as
        { title?: string; summary?: string; annotations?: unknown[] } | undefined;
      const run: CheckRunRecord = {
        id: this.#nextId++,
        owner: p.owner!,
        repo: p.repo!,
        name: String(b.name),
        head_sha: String(b.head_sha),
        // GitHub sets completed when a conclusion is given.
        status: b.conclusion ? 'completed' : String(b.status ?? 'queued'),
        conclusion: (b.conclusion as string) ?? null,
        output: output ? { title: output.title, summary: output.summary } : {},
        annotations: [...(output?.annotations ?? [])],
        app_id: this.appId,
        details_url: b.details_url as string,
        completedAt: b.conclusion ? performance.now() : undefined,
      };
      this.checkRuns.push(run);
      return [201, publicRun(run)];
    }
    if (r.method === 'PATCH' && (p = m('/repos/:owner/:repo/check-runs/:id'))) {
      const run = this.checkRuns.find((c) => c.id === Number(p!.id));
      if (!run) return notFound;
      const b = r.body as {
        status?: string;
        conclusion?: string;
        output?: { title?: string; summary?: string; annotations?: unknown[] };
      };
      if (b.status) run.status = b.status;
      if (b.conclusion) {
        run.conclusion = b.conclusion;
        run.status = 'completed';
        run.completedAt = performance.now();
        run.annotations = [];
      }
      if (b.status === 'in_progress') {
        run.conclusion = null;
        run.annotations = [];
      }
      if (b.output) {
        run.output = { title: b.output.title, summary: b.output.summary };
        run.annotations.push(...(b.output.annotations ?? []));
      }
      return [200, publicRun(run)];
    }
    if ((p = m('/repos/:owner/:repo/issues/:number/comments'))) {
      const key = `${p.owner}/${p.repo}#${p.number}`;
      const list = this.comments.get(key) ?? [];
      this.comments.set(key, list);
      if (r.method === 'GET') return [200, page(list, r.query)];
      if (r.method === 'POST') {
        const comment = {
          id: this.#nextId++,
          body: String((r.body as { body: string }).body),
          user: { login: this.botLogin, type: 'Bot' },
        };
        list.push(comment);
        return [201, comment];
      }
    }
    if (r.method === 'PATCH' && (p = m('/repos/:owner/:repo/issues/comments/:id'))) {
      for (const list of this.comments.values()) {
        const c = list.find((x) => x.id === Number(p!.id));
        if (c) {
          c.body = String((r.body as { body: string }).body);
          return [200, c];
        }
      }
      return notFound;
    }
    if (r.method === 'GET' && (p = m('/repos/:owner/:repo/pulls/:number/reviews'))) {
      return [200, page(this.reviews.get(`${p.owner}/${p.repo}#${p.number}`) ?? [], r.query)];
    }
    if (r.method === 'GET' && (p = m('/repos/:owner/:repo/pulls/:number'))) {
      const pull = this.pulls.get(`${p.owner}/${p.repo}#${p.number}`);
      return pull ? [200, pull] : notFound;
    }
    if (r.method === 'GET' && (p = m('/orgs/:org/teams/:slug/memberships/:user'))) {
      return this.teams.get(`${p.org}/${p.slug}`)?.has(p.user!)
        ? [200, { state: 'active', role: 'member' }]
        : notFound;
    }
    if (r.method === 'GET' && (p = m('/repos/:owner/:repo/collaborators/:user/permission'))) {
      const permission = this.permissions.get(`${p.owner}/${p.repo}:${p.user}`) ?? 'read';
      return [
        200,
        {
          permission: permission === 'maintain' ? 'write' : permission,
          role_name: permission,
          user: { login: p.user },
        },
      ];
    }
    if ((p = m('/repos/:owner/:repo/issues'))) {
      const key = `${p.owner}/${p.repo}`;
      const list = this.issues.get(key) ?? [];
      this.issues.set(key, list);
      if (r.method === 'GET') {
        const state = r.query.state ?? 'open';
        const creator = r.query.creator;
        const labels = r.query.labels?.split(',') ?? [];
        const found = list.filter(
          (i) =>
            (state === 'all' || i.state === state) &&
            (!creator || i.user.login === creator) &&
            labels.every((l) => i.labels.includes(l)),
        );
        return [200, page(found, r.query)];
      }
      if (r.method === 'POST') {
        const b = r.body as { title: string; body: string; labels?: string[] };
        const issue = {
          number: list.length + 1,
          title: b.title,
          body: b.body,
          state: 'open',
          state_reason: null,
          labels: b.labels ?? [],
          user: { login: this.botLogin, type: 'Bot' },
        };
        list.push(issue);
        return [201, issue];
      }
    }
    if (r.method === 'PATCH' && (p = m('/repos/:owner/:repo/issues/:number'))) {
      const issue = this.issues
        .get(`${p.owner}/${p.repo}`)
        ?.find((i) => i.number === Number(p!.number));
      if (!issue) return notFound;
      Object.assign(issue, r.body);
      return [200, issue];
    }
    if (r.method === 'GET' && (p = m('/repos/:owner/:repo'))) {
      const repo = this.#repo(p.owner!, p.repo!);
      return repo
        ? [
            200,
            {
              name: repo.name,
              full_name: `${repo.owner}/${repo.name}`,
              default_branch: repo.defaultBranch,
              archived: !!repo.archived,
              fork: !!repo.fork,
            },
          ]
        : notFound;
    }
    return notFound;
  }

  #listRepositories(query: string, vars: Record<string, string | null>): unknown {
    const perPage = Number(/repositories\(first: (\d+)/.exec(query)?.[1] ?? 100);
    const withTrees = query.includes('...T1');
    const all = [...this.repos.values()]
      .filter((r) => r.owner === vars.org)
      .sort((a, b) => a.name.localeCompare(b.name));
    if (all.length === 0 && ![...this.repos.values()].some((r) => r.owner === vars.org))
      return { data: { organization: null }, errors: [{ type: 'NOT_FOUND', message: 'no org' }] };
    const start = vars.after ? Number(vars.after) : 0;
    const nodes = all.slice(start, start + perPage).map((r) => ({
      name: r.name,
      nameWithOwner: `${r.owner}/${r.name}`,
      isArchived: !!r.archived,
      isFork: !!r.fork,
      isEmpty: r.commits.size === 0 || (r.commits.get(r.head)?.size ?? 0) === 0,
      repositoryTopics: { nodes: [] },
      ...(withTrees ? { defaultBranchRef: this.#head(r, query) } : {}),
    }));
    const end = start + nodes.length;
    return {
      data: {
        organization: {
          repositories: {
            nodes,
            pageInfo: {
              hasNextPage: end < all.length,
              endCursor: end < all.length ? String(end) : null,
            },
          },
        },
      },
    };
  }

  #auditQuery(query: string): unknown {
    const data: Record<string, unknown> = {};
    for (const line of query.split('\n')) {
      const head = /^(r\d+): repository\(owner: ("[^"]*"), name: ("[^"]*")\)/.exec(line);
      if (!head) continue;
      const repo = this.#repo(JSON.parse(head[2]!), JSON.parse(head[3]!));
      if (!repo) {
        data[head[1]!] = null;
        continue;
      }
      const files = repo.commits.get(repo.head) ?? new Map<string, string>();
      const fields: Record<string, unknown> = {};
      for (const f of line.matchAll(
        /(\w+): object\(expression: ("(?:[^"\\]|\\.)*")\) \{ \.\.\. on (Blob|Tree)/g,
      )) {
        const path = (JSON.parse(f[2]!) as string).replace(/^HEAD:/, '');
        fields[f[1]!] =
          f[3] === 'Blob'
            ? files.has(path)
              ? { text: files.get(path) }
              : null
            : treeEntries(files, path)
              ? { entries: treeEntries(files, path) }
              : null;
      }
      data[head[1]!] = fields;
    }
    return { data };
  }

  /** This app's check suites on a commit, each with its runs (GraphQL's Commit.checkSuites). */
  #checkSuites(repo: Repo, sha: string, appId: number): unknown {
    const runs = this.checkRuns.filter(
      (c) =>
        c.owner === repo.owner && c.repo === repo.name && c.head_sha === sha && c.app_id === appId,
    );
    if (runs.length === 0) return { nodes: [] };
    return {
      nodes: [
        {
          checkRuns: {
            nodes: runs.map((c) => ({
              databaseId: c.id,
              name: c.name,
              status: c.status.toUpperCase(),
            })),
          },
        },
      ],
    };
  }

  /** A page of a PR's comments as GraphQL gives them; `viewerDidAuthor` is true for the app's. */
  #commentPage(repo: Repo, number: number, first: number, after: string | undefined): unknown {
    const list = this.comments.get(`${repo.owner}/${repo.name}#${number}`) ?? [];
    const start = after ? Number(after) : 0;
    const nodes = list.slice(start, start + first).map((c) => ({
      databaseId: c.id,
      body: c.body,
      viewerDidAuthor: c.user.login === this.botLogin,
    }));
    const end = start + nodes.length;
    return {
      nodes,
      pageInfo: {
        hasNextPage: end < list.length,
        endCursor: end < list.length ? String(end) : null,
      },
    };
  }

  #pullRequest(repo: Repo, number: number, first: number, after?: string): unknown {
    const pull = this.pulls.get(`${repo.owner}/${repo.name}#${number}`) as
      { head: { sha: string } } | undefined;
    if (!pull) return null;
    return { headRefOid: pull.head.sha, comments: this.#commentPage(repo, number, first, after) };
  }

  /** The default branch's commit and its tree, as deep as the query's T1..Tn fragments go. */
  #head(repo: Repo, query: string): unknown {
    const files = repo.commits.get(repo.head);
    if (!files || files.size === 0) return null;
    const depth = [...query.matchAll(/fragment T(\d+) on Tree/g)].length;
    return { target: { oid: repo.head, tree: { entries: nestedEntries(files, '', depth) } } };
  }

  #graphql(body: { query: string; variables: Record<string, string> }): unknown {
    if (body.query.includes('organization(login: $org)'))
      return this.#listRepositories(body.query, body.variables);
    if (body.query.includes('query ServiceGateTrees')) {
      const data: Record<string, unknown> = {};
      const errors: unknown[] = [];
      for (const f of body.query.matchAll(
        /(r\d+): repository\(owner: \$(o\d+), name: \$(n\d+)\)/g,
      )) {
        const repo = this.#repo(body.variables[f[2]!]!, body.variables[f[3]!]!);
        if (!repo)
          errors.push({
            type: 'NOT_FOUND',
            path: [f[1]],
            message: 'Could not resolve to a Repository',
          });
        data[f[1]!] = repo ? { defaultBranchRef: this.#head(repo, body.query) } : null;
      }
      return errors.length ? { data, errors } : { data };
    }
    if (body.query.includes('query ServiceGateAudit')) return this.#auditQuery(body.query);
    const data: Record<string, unknown> = {};
    const errors: unknown[] = [];
    const vars = (body.variables ?? {}) as Record<string, string>;
    const num = (v: unknown) => Number(v);
    if (body.query.includes('query ServiceGateComments')) {
      const repo = this.#repo(vars.owner!, vars.name!);
      const first = Number(/comments\(first: (\d+)/.exec(body.query)?.[1] ?? 100);
      return {
        data: {
          repository: repo && {
            pullRequest: this.#pullRequest(repo, num(vars.pr), first, vars.after),
          },
        },
      };
    }
    // Lookups riding along with a file read: check suites of a commit, and a PR's comments.
    for (const x of body.query.matchAll(
      /(x\d+): repository\(owner: \$(\w+), name: \$(\w+)\) \{(.*)\}$/gm,
    )) {
      const [, alias, o, n, rest] = x as unknown as [string, string, string, string, string];
      const repo = this.#repo(vars[o]!, vars[n]!);
      if (!repo) {
        data[alias] = null;
        errors.push({
          type: 'NOT_FOUND',
          path: [alias],
          message: 'Could not resolve to a Repository',
        });
        continue;
      }
      const field: Record<string, unknown> = {};
      const commit =
        /commit: object\(expression: \$(\w+)\) \{ \.\.\. on Commit \{ checkSuites\(first: \d+, filterBy: \{appId: \$(\w+)\}\)/.exec(
          rest,
        );
      if (commit) {
        const sha = vars[commit[1]!]!;
        field.commit = repo.commits.has(sha)
          ? { checkSuites: this.#checkSuites(repo, sha, num(vars[commit[2]!])) }
          : null;
      }
      const pull = /pullRequest\(number: \$(\w+)\) \{ headRefOid comments\(first: (\d+)\)/.exec(
        rest,
      );
      if (pull) {
        field.pullRequest = this.#pullRequest(repo, num(vars[pull[1]!]), Number(pull[2]));
        if (!field.pullRequest)
          errors.push({
            type: 'NOT_FOUND',
            path: [alias, 'pullRequest'],
            message: 'Could not resolve to a PullRequest',
          });
      }
      data[alias] = field;
    }
    for (const f of body.query.matchAll(
      /(f\d+): repository\(owner: \$(o\d+), name: \$(n\d+)\) \{ object\(expression: \$(e\d+)\)/g,
    )) {
      const [, alias, o, n, e] = f as unknown as [string, string, string, string, string];
      const repo = this.#repo(vars[o]!, vars[n]!);
      if (!repo) {
        data[alias] = null;
        errors.push({
          type: 'NOT_FOUND',
          path: [alias],
          message: `Could not resolve to a Repository with the name '${vars[o]}/${vars[n]}'.`,
        });
        continue;
      }
      const expression = vars[e]!;
      const colon = expression.indexOf(':');
      const text = this.#files(repo, expression.slice(0, colon))?.get(expression.slice(colon + 1));
      const truncated = text !== undefined && text.length > this.graphqlTextLimit;
      data[alias] = {
        object:
          text === undefined
            ? null
            : {
                text: truncated ? text.slice(0, this.graphqlTextLimit) : text,
                byteSize: Buffer.byteLength(text),
                isTruncated: truncated,
                oid: sha40(text),
              },
      };
    }
    return errors.length ? { data, errors } : { data };
  }
}

/** A tree as GraphQL's nested entries give it, `depth` levels deep, with blob sizes. */
function nestedEntries(files: Map<string, string>, dir: string, depth: number): unknown[] {
  const prefix = dir ? `${dir}/` : '';
  const seen = new Map<string, unknown>();
  for (const [path, text] of files) {
    if (!path.startsWith(prefix)) continue;
    const rest = path.slice(prefix.length);
    const slash = rest.indexOf('/');
    const name = slash === -1 ? rest : rest.slice(0, slash);
    if (seen.has(name)) continue;
    seen.set(
      name,
      slash === -1
        ? { name, type: 'blob', object: { byteSize: Buffer.byteLength(text) } }
        : {
            name,
            type: 'tree',
            object: depth > 1 ? { entries: nestedEntries(files, prefix + name, depth - 1) } : {},
          },
    );
  }
  return [...seen.values()];
}

function treeEntries(
  files: Map<string, string>,
  dir: string,
): { name: string; type: string }[] | undefined {
  const prefix = dir ? `${dir}/` : '';
  const entries = new Map<string, string>();
  for (const path of files.keys()) {
    if (!path.startsWith(prefix)) continue;
    const rest = path.slice(prefix.length);
    const slash = rest.indexOf('/');
    entries.set(slash === -1 ? rest : rest.slice(0, slash), slash === -1 ? 'blob' : 'tree');
  }
  return entries.size ? [...entries].map(([name, type]) => ({ name, type })) : undefined;
}

function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const names: string[] = [];
  const re = new RegExp(
    `^${pattern.replace(/:(\w+)/g, (_, n: string) => (names.push(n), '([^/]+)'))}$`,
  );
  const m = re.exec(path);
  return m ? Object.fromEntries(names.map((n, i) => [n, m[i + 1]!])) : undefined;
}

function page<T>(list: T[], query: Record<string, string>): T[] {
  const per = Number(query.per_page ?? 30);
  const n = Number(query.page ?? 1);
  return list.slice((n - 1) * per, n * per);
}

function publicRun(run: CheckRunRecord) {
  return {
    id: run.id,
    name: run.name,
    head_sha: run.head_sha,
    status: run.status,
    conclusion: run.conclusion,
    output: { ...run.output, annotations_count: run.annotations.length },
    app: { id: run.app_id },
    details_url: run.details_url,
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function sha40(seed: string): string {
  let h = 2166136261;
  let out = '';
  for (let round = 0; out.length < 40; round++) {
    for (const c of seed + round) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, 40);
}
