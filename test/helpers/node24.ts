import { execFileSync, spawn } from 'node:child_process';

let cached: Promise<string> | undefined;

/**
 * The path of a Node 24 binary, fetched once with `npx -p node@24` (npm caches it). Tests run
 * the binary directly: going through npx would pass the environment through a shell, which
 * drops names like INPUT_FAIL-ON.
 */
export function node24(): Promise<string> {
  cached ??= new Promise<string>((resolve, reject) => {
    const child = spawn('npx', ['-y', '-p', 'node@24', 'node', '-p', 'process.execPath'], {
      env: process.env,
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const path = out.trim();
      if (code !== 0) return reject(new Error(`could not get Node 24 (npx exit ${code})`));
      const version = execFileSync(path, ['-v'], { encoding: 'utf8' });
      if (!version.startsWith('v24.')) return reject(new Error(`${path} is ${version}, not 24`));
      resolve(path);
    });
  });
  return cached;
}
