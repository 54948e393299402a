import { parentPort } from 'node:worker_threads';
import { serveLocalAudit } from '../../run/audit.js';
import type { AuditWorkerData } from '../../run/audit-workers.js';
import { loadPolicy, type LocalPolicyOptions } from './local-policy.js';

/**
 * A thread of `audit --local --threads N`: started from the CLI's own entry (index.ts), it
 * loads the central policy from the same files as the main thread and judges what it is sent.
 */
export function serveAuditWorker(data: AuditWorkerData): void {
  serveLocalAudit(parentPort!, data, loadPolicy(data.policy as LocalPolicyOptions));
}
