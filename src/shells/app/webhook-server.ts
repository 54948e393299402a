import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { WEBHOOK_BODY_BYTES } from '../../core/limits.js';

/**
 * The App's HTTP front door. GitHub never sends a webhook body over 25 MB, so a larger one is
 * not GitHub: it is refused with 413 before it is buffered (by its Content-Length when it says
 * one, else by counting as it streams in), and the connection is closed. A body within the limit
 * is read here and handed on as text, which Probot's webhook middleware verifies as it would
 * have read it.
 */

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export function limitRequestBodies(
  next: Handler,
  maxBytes: number = WEBHOOK_BODY_BYTES,
): RequestListener {
  return (req, res) => {
    if (req.method !== 'POST' && req.method !== 'PUT') return next(req, res);
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) return refuse(req, res, maxBytes);
    const chunks: Buffer[] = [];
    let total = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      total += chunk.length;
      if (total > maxBytes) {
        refused = true;
        chunks.length = 0;
        refuse(req, res, maxBytes);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (refused) return;
      (req as IncomingMessage & { body?: string }).body = Buffer.concat(chunks, total).toString(
        'utf8',
      );
      next(req, res);
    });
    req.on('error', () => {
      refused = true;
      if (!res.headersSent) res.writeHead(400).end();
    });
  };
}

function refuse(req: IncomingMessage, res: ServerResponse, maxBytes: number): void {
  res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
  res.end(
    JSON.stringify({
      error: `Request body larger than ${maxBytes} bytes; GitHub never sends webhooks this large.`,
    }),
    // Stop reading what is left: the body is never buffered.
    () => req.destroy(),
  );
}

/** Probot's own runner answered GET /ping; health checks keep working on this server too. */
export function withPing(next: Handler): Handler {
  return (req, res) => {
    if (req.method === 'GET' && req.url === '/ping') return void res.writeHead(200).end('PONG');
    next(req, res);
  };
}

/** The whole request path: body limit, then /ping, then Probot's middleware, then 404. */
export function webhookListener(
  middleware: (req: IncomingMessage, res: ServerResponse, next: () => void) => unknown,
  maxBytes: number = WEBHOOK_BODY_BYTES,
): RequestListener {
  return limitRequestBodies(
    withPing((req, res) => void middleware(req, res, () => res.writeHead(404).end())),
    maxBytes,
  );
}
