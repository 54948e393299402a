import { forEachLine, type Reader, read } from './common.js';
import { readGoMod } from './go.js';
import { readGradle, readPom, readSbt, readVersionCatalog } from './jvm.js';
import { readMsbuild, readPackagesConfig } from './dotnet.js';
import { readPackageJson, readPackageLock, readPnpmLock, readYarnLock } from './npm.js';
import { readComposerJson, readComposerLock } from './php.js';
import {
  readPipfile,
  readPipfileLock,
  readPyproject,
  readPythonLock,
  readRequirements,
} from './python.js';
import { readGemfile, readGemfileLock, readGemspec } from './ruby.js';

export type { PackageRef, ReadResult, Reader } from './common.js';

/** Readers by exact base name. */
const BY_NAME: Record<string, Reader> = {
  'package.json': readPackageJson,
  'bower.json': readPackageJson,
  'package-lock.json': readPackageLock,
  'npm-shrinkwrap.json': readPackageLock,
  'yarn.lock': readYarnLock,
  'pnpm-lock.yaml': readPnpmLock,
  Gemfile: readGemfile,
  'gems.rb': readGemfile,
  'Gemfile.lock': readGemfileLock,
  'gems.locked': readGemfileLock,
  Pipfile: readPipfile,
  'Pipfile.lock': readPipfileLock,
  'pyproject.toml': readPyproject,
  'poetry.lock': readPythonLock,
  'uv.lock': readPythonLock,
  'pom.xml': readPom,
  'build.gradle': readGradle,
  'build.gradle.kts': readGradle,
  'build.sbt': readSbt,
  'Directory.Packages.props': readMsbuild,
  'Directory.Build.props': readMsbuild,
  'packages.config': readPackagesConfig,
  'composer.json': readComposerJson,
  'composer.lock': readComposerLock,
  'go.mod': readGoMod,
  '.design-system-version': readVersionFile,
};

/** Which reader reads a dependency file, from its path; undefined for anything else. */
export function readerFor(path: string): Reader | undefined {
  const slash = path.lastIndexOf('/');
  const base = path.slice(slash + 1);
  const parent = slash === -1 ? '' : path.slice(path.lastIndexOf('/', slash - 1) + 1, slash);
  const named = BY_NAME[base];
  if (named) return named;
  if (/^requirements.*\.(txt|in)$/.test(base)) return readRequirements;
  if (parent === 'requirements' && /\.(txt|in)$/.test(base)) return readRequirements;
  if (base.endsWith('.gemspec')) return readGemspec;
  if (/\.(cs|fs|vb)proj$/.test(base)) return readMsbuild;
  if (parent === 'gradle' && base.endsWith('.versions.toml')) return readVersionCatalog;
  if (parent === 'project' && /\.(scala|sbt)$/.test(base)) return readSbt;
  return undefined;
}

/** A file that holds only a version (ONS's `.design-system-version`): the file is the package. */
function readVersionFile(text: string, file: string) {
  let version: string | null = null;
  forEachLine(text, (line) => {
    if (version === null && /^\s*v?\d+(\.\d+)*\s*$/.test(line))
      version = line.trim().replace(/^v/, '');
  });
  const name = file.slice(file.lastIndexOf('/') + 1);
  return read([
    { ecosystem: 'version-file', name, version, resolved: version !== null, file, line: 1 },
  ]);
}
