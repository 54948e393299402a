import { describe, expect, it } from 'vitest';
import { SharedValues } from '../../../src/core/audit/shared-values.js';

describe('SharedValues', () => {
  it('gives back the first value with the same JSON, frozen, and keeps unlike values apart', () => {
    const shared = new SharedValues();
    const first = { rule: 'a', line: 2, tags: ['x'] };
    expect(shared.share(first)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(shared.share({ rule: 'a', line: 2, tags: ['x'] })).toBe(first);
    // Any difference, even one JSON alone shows (key order, a number as a string), is not shared.
    for (const other of [
      { rule: 'a', line: 3, tags: ['x'] },
      { line: 2, rule: 'a', tags: ['x'] },
      { rule: 'a', line: '2', tags: ['x'] },
      { rule: 'a', line: 2, tags: ['x', 'y'] },
    ])
      expect(shared.share(other)).toBe(other);
    expect(shared.share('text')).toBe('text');
    expect(shared.share(null)).toBe(null);
  });

  it('shares each item of a list in a new list', () => {
    const shared = new SharedValues();
    const a = { n: 1 };
    const list = shared.shareEach([a, { n: 1 }, { n: 2 }]);
    expect(list[0]).toBe(a);
    expect(list[1]).toBe(a);
    expect(list).toEqual([{ n: 1 }, { n: 1 }, { n: 2 }]);
  });

  it('stops keeping new values once its keys reach the bound, and still shares those it kept', () => {
    const shared = new SharedValues(20);
    const kept = { n: 1 }; // '{"n":1}': 7 characters
    shared.share(kept);
    shared.share({ long: 'a value past the bound' });
    const late = { long: 'a value past the bound' };
    expect(shared.share(late)).toBe(late);
    expect(shared.share({ n: 1 })).toBe(kept);
  });
});
