import { createHash } from 'node:crypto';
import { type MessagePort, Worker } from 'node:worker_threads';
import type { RepositoryResult } from '../core/audit/portfolio.js';
import { VERSION } from '../version.js';
import type { CentralPolicy } from './audit.js';
import { bundledPacks } from './bundled-packs.js';

/**
 * A local audit across worker threads. Reading, parsing and judging a checkout is CPU work, one
 * repository at a time; on a machine with two cores, two threads audit 10,000 repositories in
 * about four fifths of the time one takes (README, Benchmarks). Each worker loads the same
 * central policy (checked by a digest, policyFingerprint), judges batches of consecutive
 * repositories with the same code as the main thread, and sends their results back; the main
 * thread shares their recurring parts and builds the report, so the report is the same byte
 * for byte as one thread's.
 */

/** Repositories a worker judges per message: enough that a batch's recurring values travel once. */
export const WORKER_BATCH = 200;
/**
 * Below this many repositories threads are not used unless asked for: each compiles the CLI
 * afresh. Measured on 2 cores: 450 checkouts took 1.3 s in two threads, 1.1–1.3 s in one;
 * 1,300 took 2.5 s and 2.9 s.
 */
export const WORKERS_FROM = 1000;
/**
 * Each worker's heap, in MiB. Measured on 10,000 repositories: a young generation of 8 MiB made
 * the audit 7% slower, 32 MiB no faster and the process 35 MiB larger. The old generation is
 * capped well above what one repository can need (its evidence is at most EVIDENCE_BUDGET_BYTES
 * of text): without a cap V8 lets each worker's heap grow until the process passes 300 MiB.
 */
const WORKER_HEAP_MB = { young: 16, old: 1024 } as const;

/** How the CLI starts audit workers: the data marks a thread as one, and says what to load. */
export interface AuditWorkerData {
  serviceGateAuditWorker: 1;
  dir: string;
  now: string;
  /** The central policy the main thread loaded, as policyFingerprint gives it. */
  fingerprint: string;
  /** What the shell needs to load that policy again in the worker (its files and options). */
  policy: unknown;
}

export interface AuditWorkers {
  /** The script a worker starts from: the CLI's own entry, which serves as a worker when so marked. */
  entry: string;
  threads: number;
  /** The threads were asked for (--threads): used whatever the number of repositories. */
  asked?: boolean;
  /** Given to each worker as AuditWorkerData.policy. */
  policy: unknown;
}

export function isAuditWorkerData(data: unknown): data is AuditWorkerData {
  return (data as Partial<AuditWorkerData> | null)?.serviceGateAuditWorker === 1;
}

/**
 * What decides the verdicts a thread gives, as a digest: this version of Service Gate, its
 * bundled packs, and the central policy (the merged policy, its layers, its problems and its
 * custom packs' rules; functions, such as compiled CEL, drop out, their sources stay).
 */
export function policyFingerprint(central: CentralPolicy): string {
  return createHash('sha256')
    .update(
      JSON.stringify({
        version: VERSION,
        bundled: bundledPacks(),
        policy: central.policy ?? null,
        layers: central.layers.map((l) => ({ file: l.file, central: l.central, policy: l.policy })),
        diagnostics: central.diagnostics,
        packs: central.customPacks,
      }),
    )
    .digest('hex');
}

export interface Judged {
  results: RepositoryResult[];
  /** Folders with no files. */
  empty: string[];
}

type Request = { batch: number; names: string[] };
type Reply = { batch: number; judged: Judged } | { batch: number; error: string };

/** An audit worker failed: the audit stops, saying which repositories it was judging. */
export class AuditWorkerError extends Error {
  override name = 'AuditWorkerError';
}

/**
 * Judges `names` (sorted) in worker threads, batch by batch, and returns their results in the
 * order of the names. Any worker's failure fails the audit: no report leaves repositories out.
 */
export function judgeInWorkers(
  names: readonly string[],
  workers: AuditWorkers,
  data: Omit<AuditWorkerData, 'serviceGateAuditWorker' | 'policy'>,
  received: (batch: RepositoryResult[]) => RepositoryResult[],
): Promise<Judged> {
  const batches: string[][] = [];
  for (let i = 0; i < names.length; i += WORKER_BATCH)
    batches.push(names.slice(i, i + WORKER_BATCH));
  const done: (Judged | undefined)[] = batches.map(() => undefined);
  const threads = Math.max(1, Math.min(workers.threads, batches.length));
  const workerData: AuditWorkerData = {
    serviceGateAuditWorker: 1,
    ...data,
    policy: workers.policy,
  };
  return new Promise<Judged>((resolvePromise, reject) => {
    const started: Worker[] = [];
    let next = 0;
    let finished = 0;
    let failed = false;
    const fail = (message: string) => {
      if (failed) return;
      failed = true;
      for (const w of started) void w.terminate();
      reject(new AuditWorkerError(message));
    };
    /** Sends the next batch, if any is left; returns its number. */
    const give = (worker: Worker): number | undefined => {
      if (next >= batches.length) {
        void worker.terminate();
        return undefined;
      }
      const request: Request = { batch: next, names: batches[next]! };
      worker.postMessage(request);
      return next++;
    };
    const range = (batch: number) => {
      const b = batches[batch];
      return b ? `${b[0]} to ${b.at(-1)}` : 'its repositories';
    };
    for (let t = 0; t < threads && !failed; t++) {
      let worker: Worker;
      try {
        worker = new Worker(workers.entry, {
          workerData,
          argv: [],
          stdout: false,
          resourceLimits: {
            maxYoungGenerationSizeMb: WORKER_HEAP_MB.young,
            maxOldGenerationSizeMb: WORKER_HEAP_MB.old,
          },
        });
      } catch (e) {
        // The system may refuse a thread (EAGAIN under a low process limit): stop those started.
        fail(`Could not start an audit worker: ${messageOf(e)}`);
        return;
      }
      started.push(worker);
      let current: number | undefined;
      worker.on('message', (reply: Reply) => {
        if ('error' in reply) {
          fail(`Judging ${range(reply.batch)} failed: ${reply.error}`);
          return;
        }
        if (done[reply.batch] !== undefined || reply.batch !== current) {
          fail(
            `An audit worker answered for repositories it was not judging (${range(reply.batch)}).`,
          );
          return;
        }
        done[reply.batch] = {
          results: received(reply.judged.results),
          empty: reply.judged.empty,
        };
        finished++;
        if (finished === batches.length) {
          resolvePromise({
            results: done.flatMap((d) => d!.results),
            empty: done.flatMap((d) => d!.empty),
          });
          for (const w of started) void w.terminate();
          return;
        }
        current = give(worker);
      });
      worker.on('error', (e: unknown) =>
        fail(
          `An audit worker stopped while judging ${current === undefined ? 'its repositories' : range(current)}: ${messageOf(e)}`,
        ),
      );
      worker.on('messageerror', (e: unknown) =>
        fail(`A worker's results could not be read: ${messageOf(e)}`),
      );
      // A worker with nothing left to judge is stopped; one that stops with a batch is a failure.
      worker.on('exit', (code) => {
        if (current !== undefined && done[current] === undefined)
          fail(`An audit worker exited (code ${code}) while judging ${range(current)}.`);
      });
      current = give(worker);
    }
  });
}

/**
 * The worker's side: judges each batch it is sent with `judge` and replies with the results,
 * or with the error that stopped it (the main thread then stops the audit). While a batch is
 * judged the port does not keep the thread alive: a judgement that can never finish (nothing
 * left for it to wait on) ends the thread, and the main thread stops the audit, as one thread
 * ends with exit code 13 when its run never settles.
 */
export function serveBatches(
  port: MessagePort,
  judge: (names: readonly string[]) => Promise<Judged>,
): void {
  port.on('message', (request: Request) => {
    port.unref();
    const reply = (message: Reply) => {
      port.ref();
      port.postMessage(message);
    };
    judge(request.names).then(
      (judged) => reply({ batch: request.batch, judged }),
      (e: unknown) => reply({ batch: request.batch, error: messageOf(e) }),
    );
  });
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
