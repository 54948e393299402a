/**
 * Keys that would reach an object's prototype if a consumer assigned them naively. They are
 * rejected as any segment of a key, because some keys are split on dots (a lock path, a
 * design-system id such as `x.__proto__.polluted`).
 */
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);

export function isForbiddenKey(key: string): boolean {
  return key.split('.').some((segment) => FORBIDDEN_SEGMENTS.has(segment));
}
