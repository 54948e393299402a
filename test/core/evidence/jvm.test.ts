import { describe, expect, it } from 'vitest';
import {
  readGradle,
  readPom,
  readSbt,
  readVersionCatalog,
} from '../../../src/core/evidence/readers/jvm.js';
import { fixtureEvidence, lines } from './fixture.js';

describe('JVM readers (Maven, Gradle, version catalogs) and Scala (sbt)', () => {
  it('finds GOV.UK Notify in pom.xml with a property version, build.gradle, and a version catalog in a module', () => {
    const e = fixtureEvidence('jvm');
    expect(lines(e.platforms)).toEqual([
      'govuk-notify: maven package uk.gov.service.notify:notifications-java-client at api/build.gradle:10',
      'govuk-notify: maven package uk.gov.service.notify:notifications-java-client at pom.xml:18',
      'govuk-notify: maven package uk.gov.service.notify:notifications-java-client at service/gradle/libs.versions.toml:6',
    ]);
    expect(lines(e.own_builds)).toEqual(['payments: com.stripe:stripe-java at pom.xml:28']);
    expect(e.files_unread).toEqual([]);
  });

  it('resolves ${property}, $variable and version.ref versions, and skips commented-out lines', () => {
    const pom = readPom(
      '<project><properties><v>5.2.1-RELEASE</v></properties><dependencies><dependency><groupId>uk.gov.service.notify</groupId><artifactId>notifications-java-client</artifactId><version>${v}</version></dependency></dependencies></project>',
      'pom.xml',
    );
    expect(pom.ok && pom.packages[0]).toMatchObject({ version: '5.2.1', resolved: true });
    const gradle = readGradle(
      "def v = '5.0.1-RELEASE'\n// implementation 'com.twilio.sdk:twilio:10.0.0'\nimplementation \"uk.gov.service.notify:notifications-java-client:$v\"\n",
      'build.gradle',
    );
    expect(gradle.ok && gradle.packages.map((p) => [p.name, p.version, p.line])).toEqual([
      ['uk.gov.service.notify:notifications-java-client', '5.0.1', 3],
    ]);
    const catalog = readVersionCatalog(
      '[versions]\nn = "5.2.1"\n[libraries]\nn = { module = "uk.gov.service.notify:notifications-java-client", version.ref = "n" }\n',
      'gradle/libs.versions.toml',
    );
    expect(catalog.ok && catalog.packages[0]).toMatchObject({ version: '5.2.1', resolved: true });
  });

  it('reads HMRC play-frontend-hmrc from project/AppDependencies.scala as HMRC Frontend, which extends GOV.UK Frontend', () => {
    const e = fixtureEvidence('scala');
    expect(lines(e.design_systems)).toEqual([
      'govuk-frontend: maven package uk.gov.hmrc:play-frontend-hmrc-play-30 (bundles HMRC Frontend) (builds on GOV.UK Frontend) at project/AppDependencies.scala:9',
      'hmrc-frontend: maven package uk.gov.hmrc:play-frontend-hmrc-play-30 (bundles HMRC Frontend) at project/AppDependencies.scala:9',
    ]);
    // play-frontend-hmrc 10.3.0 is not HMRC Frontend's version
    expect(e.design_systems.find((d) => d.id === 'hmrc-frontend')).toMatchObject({
      version: null,
      extends: ['govuk-frontend'],
    });
    const sbt = readSbt(
      'libraryDependencies += "uk.gov.hmrc" %% "play-frontend-hmrc_2.13" % "8.5.0"\n',
      'build.sbt',
    );
    expect(sbt.ok && sbt.packages[0]?.name).toBe('uk.gov.hmrc:play-frontend-hmrc');
  });

  it('reports a pom.xml that is not XML as not read', () => {
    expect(readPom('<project><dependencies>', 'pom.xml')).toMatchObject({ ok: false });
    expect(readPom('{"not": "xml"}', 'pom.xml')).toMatchObject({ ok: false });
  });
});
