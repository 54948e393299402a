import {
  findCheckRun,
  publishCheckRun,
  type CheckRunResult,
  type CheckRunTarget,
} from '../../github/check-run.js';
import type { GitHub } from '../../github/client.js';
import {
  planComment,
  sha256,
  writeComment,
  type CommentOutcome,
  type ExistingComment,
} from '../../github/pr-comment.js';
import type { PublishState } from '../../github/publish-state.js';
import { knownHead, REMEMBER_SECONDS, type Coordinator } from './coordination.js';

/** Everything publishing one evaluation needs. */
export interface PublishContext {
  github: GitHub;
  coordinator: Coordinator;
  owner: string;
  repo: string;
  headSha: string;
  appId: number;
  pr?: { number: number; url: string };
  /** What exists already (read alongside the files); rejects if that read failed. */
  state: () => Promise<PublishState>;
}

/** 'stale': the PR has a newer head than the commit judged, whose comment is left alone. */
export type PublishedComment = CommentOutcome | 'stale';

/**
 * The check run, one per head SHA and name: written under a lock, and completing the run a
 * redelivery, a rerun or a dead process left (remembered, or found by the lookup) rather
 * than adding a second.
 */
export async function publishCheck(
  ctx: PublishContext,
  name: string,
  result: CheckRunResult,
): Promise<number> {
  const target: CheckRunTarget = {
    owner: ctx.owner,
    repo: ctx.repo,
    headSha: ctx.headSha,
    name,
    appId: ctx.appId,
  };
  const key = `run:${ctx.owner}/${ctx.repo}@${ctx.headSha}:${name}`;
  return ctx.coordinator.withLock(key, async () => {
    const remembered = await ctx.coordinator.get(key);
    const existing = remembered
      ? Number(remembered)
      : await ctx.state().then(
          (s) => s.checkRuns.get(name)?.id,
          () => findCheckRun(ctx.github, target),
        );
    const id = await publishCheckRun(ctx.github, target, existing, result);
    await ctx.coordinator.set(key, String(id), REMEMBER_SECONDS);
    return id;
  });
}

/**
 * The PR comment, one per PR, describing its newest head: writes are serialised per PR, and
 * an evaluation whose commit is no longer the PR's head (as GitHub said when the files were
 * read, or as a later delivery said since) leaves the comment to the newer one.
 */
export async function publishComment(
  ctx: PublishContext & { pr: { number: number }; botLogin: string },
  body: string | null,
): Promise<PublishedComment> {
  const repo = `${ctx.owner}/${ctx.repo}`;
  const key = `comment:${repo}#${ctx.pr.number}`;
  return ctx.coordinator.withLock(key, async () => {
    const state = await ctx.state();
    if (state.prHead !== undefined && state.prHead !== ctx.headSha) return 'stale';
    const newest = await knownHead(ctx.coordinator, repo, ctx.pr.number);
    if (newest && newest.sha !== ctx.headSha) return 'stale';
    const remembered = await ctx.coordinator.get(key);
    const existing: ExistingComment | undefined = remembered
      ? (JSON.parse(remembered) as ExistingComment)
      : state.comment;
    const written = await writeComment(
      ctx.github,
      { owner: ctx.owner, repo: ctx.repo, number: ctx.pr.number, botLogin: ctx.botLogin },
      planComment(existing, body),
    );
    if (written.id !== undefined && written.body !== undefined)
      await ctx.coordinator.set(
        key,
        JSON.stringify({ id: written.id, sha256: sha256(written.body) }),
        REMEMBER_SECONDS,
      );
    return written.outcome;
  });
}
