import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../src/core/redact.js';
import { describeError } from '../../src/errors.js';

const TOKEN = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a';

describe('redactSecrets', () => {
  it.each([
    ['bare installation token', `failed with ${TOKEN} in it`, TOKEN],
    ['bare classic token', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'ghp_'],
    ['OAuth token', 'gho_abcdefghijklmnopqrstuvwxyz0123456789', 'gho_'],
    ['user-to-server token', 'ghu_abcdefghijklmnopqrstuvwxyz0123456789', 'ghu_'],
    ['refresh token', 'ghr_abcdefghijklmnopqrstuvwxyz0123456789', 'ghr_'],
    ['fine-grained token', 'github_pat_11ABCDEFG0abcdefghij_klmnopqrstuvwxyz', 'github_pat_11'],
    ['Bearer header', 'Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.e30.sig', 'eyJhbGci'],
    ['token header', 'authorization: token abc123def456', 'abc123def456'],
    ['Basic header', 'Authorization: Basic dXNlcjpwYXNzd29yZA==', 'dXNlcjpw'],
    [
      'credentials in a URL',
      `fatal: https://x-access-token:${TOKEN}@github.com/o/r.git`,
      'x-access-token',
    ],
    ['user and password in a URL', 'GET https://alice:hunter2@ghe.example.com/api', 'hunter2'],
    ['token= query parameter', 'GET /download?token=AAAA1234&x=1', 'AAAA1234'],
    ['access_token= pair', 'access_token=s3cr3t-value expired', 's3cr3t-value'],
    ['password= pair', 'password=hunter2', 'hunter2'],
  ])('%s', (_name, text, secret) => {
    const out = redactSecrets(text);
    expect(out).not.toContain(secret);
    expect(out).toContain('[redacted]');
  });

  it('leaves ordinary messages alone', () => {
    const text = 'GitHub answered 404: Not Found (service.yml at line 3)';
    expect(redactSecrets(text)).toBe(text);
  });

  it('is what describeError applies, before cutting the message short', () => {
    const error = Object.assign(new Error(`${'x'.repeat(280)} https://u:${TOKEN}@github.com`), {
      status: 401,
    });
    expect(describeError(error)).not.toContain('ghs_16C7');
  });
});
