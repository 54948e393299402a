import type { PlatformSignals } from '../../domain/signals.js';
import { forEachLine } from './common.js';

/** A platform named in a configuration file. */
export interface ConfigHit {
  platform: PlatformSignals;
  kind: 'host' | 'env' | 'text';
  value: string;
  line: number;
}

interface Pattern {
  platform: PlatformSignals;
  kind: ConfigHit['kind'];
  value: string;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * One regular expression for every host, key name and literal in the catalogue, so a file is
 * scanned once whatever the catalogue's size. Hosts must not be preceded by a host character
 * (`oidc.account.gov.uk` does not match `xoidc.account.gov.uk`); names are whole identifiers.
 */
export function configMatcher(platforms: readonly PlatformSignals[]) {
  const patterns: Pattern[] = [];
  const sources: string[] = [];
  for (const platform of platforms) {
    for (const value of platform.hosts ?? []) {
      patterns.push({ platform, kind: 'host', value });
      sources.push(`(?<![A-Za-z0-9-])(${escape(value)})`);
    }
    for (const value of platform.env ?? []) {
      patterns.push({ platform, kind: 'env', value });
      sources.push(`(?<![A-Za-z0-9_])(${escape(value)})(?![A-Za-z0-9_])`);
    }
    for (const value of platform.text ?? []) {
      patterns.push({ platform, kind: 'text', value });
      sources.push(`(${escape(value)})`);
    }
  }
  const regex = new RegExp(sources.join('|'), 'g');

  /**
   * Every platform a configuration file names, once per platform and signal, with the first line
   * it is on. In whole-line comments only literal text counts: a commented-out key is not an
   * integration, but a comment naming the platform says which one a shared key is for.
   */
  return (text: string): ConfigHit[] => {
    const hits = new Map<string, ConfigHit>();
    forEachLine(text, (line, n) => {
      const t = line.trimStart();
      const comment =
        t.startsWith('#') || t.startsWith('//') || t.startsWith('<!--') || t.startsWith(';');
      regex.lastIndex = 0;
      for (let m = regex.exec(line); m; m = regex.exec(line)) {
        const i = m.findIndex((g, k) => k > 0 && g !== undefined) - 1;
        const p = patterns[i];
        // In a comment only a platform's name counts ("the GC Notify API"), not a key or host.
        if (!p || (comment && p.kind !== 'text')) continue;
        const key = `${p.platform.id}|${p.kind}|${p.value}`;
        if (!hits.has(key)) hits.set(key, { ...p, line: n });
      }
    });
    return [...hits.values()];
  };
}
