import { describe, expect, it } from 'vitest';
import { detectEvidence } from '../../../src/core/evidence/detect.js';
import { MAX_PARSED_MANIFEST_BYTES } from '../../../src/core/evidence/readers/common.js';
import { readerFor } from '../../../src/core/evidence/readers/index.js';

const detect = (files: Record<string, string>) =>
  detectEvidence({ paths: Object.keys(files), files: new Map(Object.entries(files)) });

/** Every dependency file name the readers know, to throw odd shapes at each. */
const READABLE = [
  'package.json',
  'package-lock.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'Gemfile',
  'Gemfile.lock',
  'x.gemspec',
  'requirements.txt',
  'requirements/dev.in',
  'Pipfile',
  'Pipfile.lock',
  'pyproject.toml',
  'poetry.lock',
  'uv.lock',
  'pom.xml',
  'build.gradle',
  'build.gradle.kts',
  'gradle/libs.versions.toml',
  'build.sbt',
  'project/Deps.scala',
  'Web.csproj',
  'Directory.Packages.props',
  'packages.config',
  'composer.json',
  'composer.lock',
  'go.mod',
  '.design-system-version',
];

describe('readers on hostile and odd input', () => {
  it('every reader has a path that selects it', () => {
    for (const path of READABLE) expect(readerFor(path), path).toBeDefined();
  });

  it('never throws, whatever the shape: nulls, arrays, wrong types, binary, empty', () => {
    const shapes = [
      '',
      'null',
      '[]',
      '"text"',
      '{"lockfileVersion":3,"packages":{"node_modules/govuk-frontend":null}}',
      '{"packages":[null,1,{"name":null}],"dependencies":{"x":null},"require":null,"default":{"x":null}}',
      '{"dependencies":{"govuk-frontend":{"version":5}}}',
      '[project]\ndependencies = "not a list"\n[tool.poetry]\ndependencies = 3\n[dependency-groups]\ndev = [1, {include-group = "x"}]\n',
      '<project><dependencies><dependency/><dependency><groupId/></dependency></dependencies></project>',
      '<Project><ItemGroup><PackageReference/></ItemGroup></Project>',
      '\u0000\u0001\uffff'.repeat(100),
      '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]><project>&b;</project>',
    ];
    for (const path of READABLE)
      for (const text of shapes)
        expect(() => detect({ [path]: text }), `${path}: ${text.slice(0, 40)}`).not.toThrow();
  });

  it('a null package entry in package-lock v3 is skipped, the rest read', () => {
    const e = detect({
      'package-lock.json': JSON.stringify({
        lockfileVersion: 3,
        packages: {
          'node_modules/govuk-frontend': null,
          'node_modules/nhsuk-frontend': { version: '9.1.0' },
        },
      }),
    });
    expect(e.design_systems.map((d) => [d.id, d.version])).toEqual([['nhsuk-frontend', '9.1.0']]);
    expect(e.files_unread).toEqual([]);
  });

  it('a malformed file gives no evidence and is named as not read, with the reason', () => {
    const e = detect({
      'package.json': '{"dependencies": {"govuk-frontend": "^5"',
      'pom.xml': '<project><dependencies>',
      'pyproject.toml': '[project\n',
    });
    expect(e.design_systems).toEqual([]);
    expect(e.files_unread.map((u) => u.file)).toEqual([
      'package.json',
      'pom.xml',
      'pyproject.toml',
    ]);
    expect(e.files_unread[0]!.reason).toMatch(/could not be read: it is not valid JSON/);
  });

  it('reads a lockfile of 150,000 packages without overflowing the stack', () => {
    const packages: Record<string, { version: string }> = {};
    for (let i = 0; i < 150_000; i++) packages[`node_modules/pkg-${i}`] = { version: '1.0.0' };
    packages['node_modules/govuk-frontend'] = { version: '5.7.1' };
    const e = detect({ 'package-lock.json': JSON.stringify({ lockfileVersion: 3, packages }) });
    expect(e.design_systems.map((d) => d.version)).toEqual(['5.7.1']);
  });

  it('a yarn.lock of 30,000 govuk-frontend entries gives one item per version (bench: npm run bench)', () => {
    let lock = '# yarn lockfile v1\n\n';
    for (let i = 0; i < 30_000; i++)
      lock += `"govuk-frontend@^5.${i}.0":\n  version "5.${i % 3}.0"\n  resolved "https://registry.yarnpkg.com/govuk-frontend/-/govuk-frontend-5.${i % 3}.0.tgz"\n\n`;
    expect(lock.length).toBeGreaterThan(1_500_000);
    const e = detect({ 'yarn.lock': lock });
    expect(e.design_systems.map((d) => d.version).sort()).toEqual(['5.0.0', '5.1.0', '5.2.0']);
  });

  it('a TOML or XML manifest too large to parse safely is named as not read instead of parsed', () => {
    let toml = '[project]\nname = "x"\n';
    for (let i = 0; toml.length < 8 * 1024 * 1024; i++) toml += `a${i}.b${i}.c${i} = ${i}\n`;
    const e = detect({
      'pyproject.toml': toml,
      'pom.xml': `<project>${' '.repeat(MAX_PARSED_MANIFEST_BYTES)}</project>`,
    });
    expect(e.files_unread).toEqual([
      { file: 'pom.xml', kind: 'dependency', reason: expect.stringMatching(/larger than 256 KiB/) },
      {
        file: 'pyproject.toml',
        kind: 'dependency',
        reason: expect.stringMatching(/larger than 256 KiB/),
      },
    ]);
  });
});
