import type { GitHub } from '../../github/client.js';
import { describeError } from '../../errors.js';
import type { Coordinator } from './coordination.js';
import type { Journal, JournalEntry } from './journal.js';

/**
 * Finishing what was accepted but not published, and what GitHub failed to deliver:
 *
 * - the journal's orphans (accepted by a process that died, or released after a failure) are
 *   run again from the stored event, or redelivered by GitHub when the event was too large
 *   to store;
 * - GitHub's record of deliveries (`GET /app/hook/deliveries`) is swept for deliveries that
 *   never succeeded (the App was down, or answered 5xx before journaling), which are
 *   redelivered (`POST /app/hook/deliveries/{id}/attempts`), as GitHub's guide for App
 *   webhooks does.
 *
 * Both are bounded (attempts, age window, count) and claimed through the coordinator, so that
 * instances sharing Redis never redeliver or re-run the same delivery twice.
 */
export interface RecoveryOptions {
  journal: Journal;
  coordinator: Coordinator;
  /** Runs a stored event through the handlers (Probot's `receive`). */
  receive: (event: { id: string; name: string; payload: unknown }) => Promise<unknown>;
  /** A client authenticated as the app (JWT), for the deliveries API. */
  appGitHub: () => Promise<GitHub>;
  log: { info: (o: object, m: string) => void; warn: (o: object, m: string) => void };
  /** Deliveries older than this are left alone (GitHub keeps three days). */
  windowMs?: number;
  /** At most this many redeliveries are requested per sweep. */
  maxRedeliveries?: number;
  /** An entry is given up (and logged) after this many attempts. */
  maxAttempts?: number;
}

export const RECOVERY_DEFAULTS = { windowMs: 24 * 3600_000, maxRedeliveries: 50, maxAttempts: 3 };
const MAX_DELIVERY_PAGES = 20;

interface Delivery {
  id: number;
  guid: string;
  delivered_at: string;
  status_code: number;
  event: string;
}

/** Runs the journal's orphans again; returns how many were started. */
export async function finishOrphans(o: RecoveryOptions): Promise<number> {
  const maxAttempts = o.maxAttempts ?? RECOVERY_DEFAULTS.maxAttempts;
  let started = 0;
  for (const entry of await o.journal.orphans()) {
    if (!entry.payload) continue; // the sweep asks GitHub to redeliver it
    if (!(await o.coordinator.claim(`finish:${entry.id}:${entry.attempts}`, 3600))) continue;
    if (entry.attempts >= maxAttempts) {
      o.log.warn(describe(entry), 'delivery given up after repeated failures');
      await o.journal.done(entry.id);
      continue;
    }
    started++;
    o.log.info(describe(entry), 'finishing a delivery left unfinished');
    await o
      .receive({ id: entry.id, name: entry.event, payload: entry.payload })
      .catch((e: unknown) =>
        o.log.warn({ ...describe(entry), err: describeError(e) }, 'could not finish a delivery'),
      );
  }
  return started;
}

/** Asks GitHub to redeliver what never arrived; returns how many redeliveries were requested. */
export async function sweepFailedDeliveries(o: RecoveryOptions): Promise<number> {
  const windowMs = o.windowMs ?? RECOVERY_DEFAULTS.windowMs;
  const max = o.maxRedeliveries ?? RECOVERY_DEFAULTS.maxRedeliveries;
  const github = await o.appGitHub();
  const since = Date.now() - windowMs;
  const byGuid = new Map<string, { succeeded: boolean; latest: Delivery }>();
  let cursor: string | undefined;
  for (let page = 0; page < MAX_DELIVERY_PAGES; page++) {
    const { data, headers } = await github.request('GET /app/hook/deliveries', {
      per_page: 100,
      ...(cursor ? { cursor } : {}),
    });
    let older = false;
    for (const d of data as Delivery[]) {
      if (Date.parse(d.delivered_at) < since) {
        older = true;
        continue;
      }
      const seen = byGuid.get(d.guid);
      const ok = d.status_code >= 200 && d.status_code < 300;
      byGuid.set(d.guid, {
        succeeded: (seen?.succeeded ?? false) || ok,
        latest: !seen || d.id > seen.latest.id ? d : seen.latest,
      });
    }
    cursor = /[?&]cursor=([^&>]+)[^>]*>;\s*rel="next"/.exec(String(headers.link ?? ''))?.[1];
    if (older || !cursor) break;
  }
  const payloadless = new Set(
    (await o.journal.orphans()).filter((e) => !e.payload).map((e) => e.id),
  );
  let requested = 0;
  for (const [guid, { succeeded, latest }] of byGuid) {
    if (requested >= max) break;
    const wanted = payloadless.has(guid) || (!succeeded && !(await o.journal.knows(guid)));
    if (!wanted) continue;
    if (!(await o.coordinator.claim(`redeliver:${guid}`, Math.ceil(windowMs / 1000)))) continue;
    try {
      await github.request('POST /app/hook/deliveries/{delivery_id}/attempts', {
        delivery_id: latest.id,
      });
      requested++;
      o.log.info({ deliveryId: guid, event: latest.event }, 'asked GitHub to redeliver');
    } catch (e) {
      o.log.warn({ deliveryId: guid, err: describeError(e) }, 'could not ask for a redelivery');
    }
  }
  return requested;
}

/** Recovers once now and then every `everyMs`; the timer does not keep the process alive. */
export function startRecovery(
  o: RecoveryOptions,
  everyMs = 60_000,
): { stop: () => void; idle: () => Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const once = () => {
    running = running.then(async () => {
      try {
        await finishOrphans(o);
        await sweepFailedDeliveries(o);
      } catch (e) {
        o.log.warn({ err: describeError(e) }, 'recovery failed; it runs again later');
      }
    });
  };
  const first = setTimeout(once, 0);
  const timer = setInterval(once, everyMs);
  timer.unref();
  return {
    stop: () => {
      clearTimeout(first);
      clearInterval(timer);
    },
    idle: () => running,
  };
}

function describe(e: JournalEntry): object {
  return {
    deliveryId: e.id,
    event: e.event,
    repo: e.repository,
    sha: e.headSha,
    attempts: e.attempts,
  };
}
