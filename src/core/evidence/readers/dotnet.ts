import {
  coerceVersion,
  field,
  isObject,
  many,
  type PackageRef,
  parseXml,
  read,
  type Reader,
  str,
  unreadable,
} from './common.js';

/** An attribute or child element (`Version="1"` or `<Version>1</Version>`). */
function attribute(node: unknown, name: string): string | undefined {
  return str(field(node, `@${name}`)) ?? str(field(node, name));
}

/**
 * MSBuild project files (*.csproj, *.fsproj, *.vbproj), Directory.Packages.props (central
 * package management) and Directory.Build.props: PackageReference and PackageVersion items,
 * and ProjectReference items by their project's name.
 */
export const readMsbuild: Reader = (text, file) => {
  const xml = parseXml(text);
  if (!xml.ok) return unreadable(xml.problem);
  const project = field(xml.value, 'Project');
  if (!isObject(project)) return unreadable('it has no <Project> element');
  const out: PackageRef[] = [];
  for (const group of many(field(project, 'ItemGroup')))
    for (const kind of ['PackageReference', 'PackageVersion', 'GlobalPackageReference'])
      for (const item of many(field(group, kind))) {
        const name = attribute(item, 'Include') ?? attribute(item, 'Update');
        if (!name) continue;
        const version = attribute(item, 'Version') ?? attribute(item, 'VersionOverride');
        out.push({
          ecosystem: 'nuget',
          name,
          version: coerceVersion(version),
          resolved: version !== undefined && /^\[?\d[\w.-]*\]?$/.test(version),
          file,
          needle: `"${name}"`,
        });
      }
  // A library built in the same repository is a project reference, not a package: its name is
  // the project file's (GovUkDesignSystem, later published as CabinetOffice.GovUkDesignSystem).
  for (const group of many(field(project, 'ItemGroup')))
    for (const item of many(field(group, 'ProjectReference'))) {
      const include = attribute(item, 'Include');
      const name = include
        ?.split(/[\\/]/)
        .pop()
        ?.replace(/\.(cs|fs|vb)proj$/i, '');
      if (!name) continue;
      out.push({ ecosystem: 'nuget', name, version: null, resolved: false, file, needle: name });
    }
  return read(out);
};

/** packages.config (.NET Framework): `<package id="…" version="…"/>`. */
export const readPackagesConfig: Reader = (text, file) => {
  const xml = parseXml(text);
  if (!xml.ok) return unreadable(xml.problem);
  const packages = field(xml.value, 'packages');
  if (!isObject(packages) && packages !== '') return unreadable('it has no <packages> element');
  const out: PackageRef[] = [];
  for (const p of many(field(packages, 'package'))) {
    const name = attribute(p, 'id');
    if (!name) continue;
    const version = attribute(p, 'version');
    out.push({
      ecosystem: 'nuget',
      name,
      version: coerceVersion(version),
      resolved: version !== undefined,
      file,
      needle: `"${name}"`,
    });
  }
  return read(out);
};
