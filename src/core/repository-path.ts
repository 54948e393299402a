import { posix } from 'node:path';

/** A relative path that stays inside the repository (service.yml and policy paths from users). */
export function isRepositoryPath(path: string): boolean {
  const normal = posix.normalize(path.replaceAll('\\', '/'));
  return !posix.isAbsolute(normal) && normal !== '..' && !normal.startsWith('../');
}
