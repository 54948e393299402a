import { describe, expect, it } from 'vitest';
import { fitSummary, MAX_SUMMARY } from '../../src/github/check-run.js';

describe('fitSummary', () => {
  it('leaves a short summary alone and cuts a long one at a line, within GitHub’s limit', () => {
    expect(fitSummary('short')).toBe('short');
    const long = Array.from({ length: 5000 }, (_, i) => `- finding ${i} ${'x'.repeat(20)}`).join(
      '\n',
    );
    const fitted = fitSummary(long, 12);
    expect(fitted.length).toBeLessThanOrEqual(MAX_SUMMARY);
    expect(fitted).toContain('too long to show in full');
    expect(fitted).toMatch(/12 further findings are not annotated\.$/);
    expect(fitSummary('short', 1)).toBe('short\n\n1 further finding is not annotated.');
  });
});
