import { createHmac } from 'node:crypto';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNodeMiddleware, Probot } from 'probot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEBHOOK_BODY_BYTES } from '../../../src/core/limits.js';
import { serviceGateApp } from '../../../src/shells/app/app.js';
import { webhookListener } from '../../../src/shells/app/webhook-server.js';
import { PRIVATE_KEY, SECRET } from './harness.js';

/**
 * The App's own HTTP server (what `npm start` runs), on loopback, with real HTTP requests:
 * bodies over GitHub's 25 MB cap are refused before they are buffered, and ordinary signed
 * deliveries still reach Probot.
 */

let server: Server;
let port: number;
const handled: string[] = [];

beforeAll(async () => {
  const probot = new Probot({
    appId: 1,
    privateKey: PRIVATE_KEY,
    secret: SECRET,
    logLevel: 'fatal',
  });
  const middleware = await createNodeMiddleware(
    (app: Probot) => {
      serviceGateApp({ appId: 1, botLogin: 'service-gate[bot]' })(app);
      app.on('ping', async (context) => void handled.push(context.id));
    },
    { probot, webhooksPath: '/api/github/webhooks' },
  );
  server = createServer(webhookListener(middleware));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

interface Sent {
  status: number;
  /** Bytes of the body written before the server answered. */
  written: number;
}

/** POSTs `total` bytes a chunk at a time, stopping as soon as the server answers. */
function post(total: number, headers: Record<string, string | number>): Promise<Sent> {
  return new Promise((resolve, reject) => {
    let written = 0;
    let answered = false;
    const req = request(
      { host: '127.0.0.1', port, method: 'POST', path: '/api/github/webhooks', headers },
      (res) => {
        answered = true;
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode!, written }));
      },
    );
    req.on('error', (e) => (answered ? undefined : reject(e)));
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const pump = () => {
      while (!answered && written < total) {
        written += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

describe('the webhook server', () => {
  it('refuses a body that declares more than 25 MB, before reading it', async () => {
    const sent = await post(WEBHOOK_BODY_BYTES + 1024 * 1024, {
      'content-length': WEBHOOK_BODY_BYTES + 1024 * 1024,
      'content-type': 'application/json',
      'x-github-event': 'ping',
    });
    expect(sent.status).toBe(413);
    // Answered long before the body could have been sent, let alone buffered.
    expect(sent.written).toBeLessThan(WEBHOOK_BODY_BYTES / 2);
  });

  it('refuses a chunked body once it passes 25 MB, without waiting for its end', async () => {
    const sent = await post(WEBHOOK_BODY_BYTES * 2, {
      'transfer-encoding': 'chunked',
      'content-type': 'application/json',
      'x-github-event': 'ping',
    });
    expect(sent.status).toBe(413);
    expect(sent.written).toBeLessThan(WEBHOOK_BODY_BYTES * 2);
  });

  it('hands an ordinary signed delivery to Probot, and answers /ping', async () => {
    const body = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 });
    const response = await fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'ping',
        'x-github-delivery': 'delivery-ping-1',
        'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
      },
    });
    expect(response.status).toBe(200);
    expect(handled).toContain('delivery-ping-1');
    expect(await (await fetch(`http://127.0.0.1:${port}/ping`)).text()).toBe('PONG');
  });

  it('still rejects a bad signature on a small body', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
      method: 'POST',
      body: '{}',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'ping',
        'x-github-delivery': 'delivery-ping-2',
        'x-hub-signature-256': 'sha256=00',
      },
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(handled).not.toContain('delivery-ping-2');
  });
});
