import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PLATFORM_CATEGORIES } from '../../../src/core/domain/catalogue.js';
import {
  DESIGN_SYSTEMS,
  ECOSYSTEMS,
  OWN_BUILD_SIGNALS,
  PLATFORMS,
} from '../../../src/core/domain/signals.js';
import { detectEvidence } from '../../../src/core/evidence/detect.js';

/** The catalogue is data: this is its schema, and the checks a schema cannot express. */
const packageName: Record<(typeof ECOSYSTEMS)[number], RegExp> = {
  npm: /^(@[a-z0-9][\w.-]*\/)?[a-z0-9*][\w.*-]*$/,
  rubygems: /^[A-Za-z0-9][\w.-]*$/,
  pypi: /^[A-Za-z0-9][\w.-]*$/,
  maven: /^[a-z][\w.-]*:[\w.*-]+$/,
  nuget: /^[A-Za-z][\w.*]*$/,
  composer: /^([a-z0-9][\w.-]*\/[a-z0-9][\w.*-]*|autoload:[a-z0-9\\]+)$/,
  'version-file': /^\.[\w.-]+$/,
  go: /^[a-z0-9.-]+(\/[\w.*-]+)+$/,
};
const packages = z.partialRecord(z.enum(ECOSYSTEMS), z.array(z.string()).min(1));
const id = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/);
const jurisdiction = z.enum(['uk', 'us', 'ca', 'au', 'ee', 'any']);
const designSystem = z.strictObject({
  id,
  title: z.string().min(3),
  jurisdiction,
  packages,
  wrappers: packages.optional(),
  unmaintained: packages.optional(),
  extends: z.array(id).optional(),
  bundledBy: z
    .array(
      z.strictObject({
        ecosystem: z.enum(ECOSYSTEMS),
        name: z.string().min(2),
        belowMajor: z.number().int().positive(),
      }),
    )
    .optional(),
});
const platform = z.strictObject({
  id,
  title: z.string().min(3),
  jurisdiction,
  category: z.enum([...PLATFORM_CATEGORIES, 'data-exchange', 'performance']),
  hosts: z.array(z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}(\/[\w./-]*)?$|^[a-z0-9-]+$/)).optional(),
  env: z.array(z.string().regex(/^[A-Z][A-Z0-9_]+$/)).optional(),
  // Literal text matches anywhere in configuration: long enough to name one thing ('Gov Pay').
  text: z.array(z.string().min(7)).optional(),
  packages: packages.optional(),
  unmaintained: z.boolean().optional(),
  sharesClientsOf: id.optional(),
  ownCode: z.array(z.string().min(3)).optional(),
});

function allPackages(p: Partial<Record<string, readonly string[]>> | undefined) {
  return Object.entries(p ?? {}).flatMap(([eco, names]) => names!.map((n) => [eco, n] as const));
}

describe('the signal catalogue', () => {
  it('matches its schema', () => {
    for (const d of DESIGN_SYSTEMS) expect(() => designSystem.parse(d), d.id).not.toThrow();
    for (const p of PLATFORMS) expect(() => platform.parse(p), p.id).not.toThrow();
  });

  it('has unique ids, relationships to ids that exist, and signals every platform can be found by', () => {
    const ids = [...DESIGN_SYSTEMS.map((d) => d.id), ...PLATFORMS.map((p) => p.id)];
    expect(new Set(ids).size).toBe(ids.length);
    for (const d of DESIGN_SYSTEMS) for (const e of d.extends ?? []) expect(ids, d.id).toContain(e);
    for (const p of PLATFORMS) {
      if (p.sharesClientsOf) expect(PLATFORMS.map((x) => x.id)).toContain(p.sharesClientsOf);
      // A platform sharing clients is known only by its host: it must have one.
      if (p.sharesClientsOf) expect(p.hosts?.length, p.id).toBeGreaterThan(0);
      expect(
        (p.hosts?.length ?? 0) +
          (p.env?.length ?? 0) +
          (p.text?.length ?? 0) +
          allPackages(p.packages).length,
        p.id,
      ).toBeGreaterThan(0);
    }
  });

  it('spells every package as its registry does, and every glob compiles', () => {
    const all = [
      ...DESIGN_SYSTEMS.flatMap((d) => [
        ...allPackages(d.packages),
        ...allPackages(d.wrappers),
        ...allPackages(d.unmaintained),
      ]),
      ...PLATFORMS.flatMap((p) => allPackages(p.packages)),
      ...OWN_BUILD_SIGNALS.flatMap((s) => allPackages(s.packages)),
    ];
    for (const [eco, name] of all) {
      expect(name, `${eco} ${name}`).toMatch(packageName[eco as keyof typeof packageName]);
      if (name.includes('*')) expect(() => picomatch(name)).not.toThrow();
    }
  });

  it('never gives one package, host or key name to two entries (except shared clients, which the host decides)', () => {
    const owner = new Map<string, string>();
    const claim = (signal: string, who: string) => {
      expect(owner.get(signal) ?? who, signal).toBe(who);
      owner.set(signal, who);
    };
    for (const d of DESIGN_SYSTEMS)
      for (const [eco, n] of [
        ...allPackages(d.packages),
        ...allPackages(d.wrappers),
        ...allPackages(d.unmaintained),
      ])
        claim(`${eco}:${n.toLowerCase()}`, d.id);
    for (const p of PLATFORMS) {
      for (const [eco, n] of allPackages(p.packages)) claim(`${eco}:${n.toLowerCase()}`, p.id);
      for (const h of p.hosts ?? []) claim(`host:${h}`, p.id);
      for (const e of p.env ?? []) claim(`env:${e}`, p.id);
    }
  });

  it('flags the unmaintained ones the issue names', () => {
    const old = DESIGN_SYSTEMS.flatMap((d) => allPackages(d.unmaintained).map(([, n]) => n));
    for (const n of [
      'govuk_frontend_toolkit',
      'govuk_template',
      'govuk_elements_rails',
      'govuk-elements-sass',
    ])
      expect(old).toContain(n);
    expect(PLATFORMS.filter((p) => p.unmaintained).map((p) => p.id)).toEqual(
      expect.arrayContaining(['notify-gov', 'govuk-performance-platform']),
    );
  });

  // Each real signal (seen in public government repositories), and what it must be found as.
  const REAL: [file: string, text: string, expected: string][] = [
    // cabinetoffice/gender-pay-gap: Notify's .NET client under its pre-2020 name, and the GOV.UK
    // design system library as a project in the same repository.
    [
      'GenderPayGap.WebUI/GenderPayGap.WebUI.csproj',
      '<Project><ItemGroup><PackageReference Include="Notify" Version="2.8.0" /></ItemGroup></Project>',
      'govuk-notify',
    ],
    [
      'GenderPayGap.WebUI/GenderPayGap.WebUI.csproj',
      '<Project><ItemGroup><ProjectReference Include="..\\GovUkDesignSystem\\GovUkDesignSystem.csproj" /></ItemGroup></Project>',
      'govuk-frontend',
    ],
    // DEFRA/ivory-front-office: generic key names under a comment that names the platform.
    ['.env.example', '# The configuration for Gov Pay\nPAYMENT_KEY=', 'govuk-pay'],
    // UKHomeOffice/brp_enquiry_forms: hof 1.2 (2015) shipped the retired GOV.UK Template.
    ['package.json', '{"dependencies": {"hof": "1.2.0"}}', 'govuk-legacy-frontend'],
    [
      'project/AppDependencies.scala',
      '"uk.gov.hmrc" %% "play-frontend-hmrc-play-30" % "10.3.0"',
      'hmrc-frontend',
    ],
    [
      'pom.xml',
      '<project><dependencies><dependency><groupId>uk.gov.service.notify</groupId><artifactId>notifications-java-client</artifactId></dependency></dependencies></project>',
      'govuk-notify',
    ],
    [
      'build.gradle',
      "implementation 'uk.gov.service.notify:notifications-java-client:5.2.1-RELEASE'",
      'govuk-notify',
    ],
    [
      'Web.csproj',
      '<Project><ItemGroup><PackageReference Include="GovukNotify" Version="7.1.0"/></ItemGroup></Project>',
      'govuk-notify',
    ],
    [
      'Web.csproj',
      '<Project><ItemGroup><PackageReference Include="GovUk.Frontend.AspNetCore" Version="2.8.0"/></ItemGroup></Project>',
      'govuk-frontend',
    ],
    [
      'Web.csproj',
      '<Project><ItemGroup><PackageReference Include="CabinetOffice.GovUkDesignSystem" Version="1.0.0"/></ItemGroup></Project>',
      'govuk-frontend',
    ],
    ['composer.json', '{"require":{"alphagov/notifications-php-client":"^6.2"}}', 'govuk-notify'],
    ['Gemfile', "gem 'govuk_notify_rails'", 'govuk-notify'],
    ['Gemfile', "gem 'mail-notify'", 'govuk-notify'],
    ['Gemfile', "gem 'notifications-ruby-client'", 'govuk-notify'],
    ['Gemfile', "gem 'omniauth_login_dot_gov'", 'login-gov'],
    ['Gemfile', "gem 'govuk_publishing_components'", 'govuk-frontend'],
    ['Gemfile', "gem 'govuk-components'", 'govuk-frontend'],
    ['Gemfile', "gem 'govuk_design_system_formbuilder'", 'govuk-frontend'],
    ['requirements.in', 'notifications-python-client>=9', 'govuk-notify'],
    ['requirements.txt', 'django-gov-notify==0.5.0', 'govuk-notify'],
    ['requirements.txt', 'govuk-onelogin-django==1.0.0', 'govuk-one-login'],
    ['requirements.txt', 'govuk-frontend-jinja==3.4.0', 'govuk-frontend'],
    ['requirements.txt', 'govuk-frontend-wtf==3.1.0', 'govuk-frontend'],
    ['requirements.txt', 'govuk-frontend-django==0.9.0', 'govuk-frontend'],
    ['package.json', '{"dependencies":{"notifications-node-client":"^8"}}', 'govuk-notify'],
    [
      'package.json',
      '{"dependencies":{"@govuk-one-login/frontend-analytics":"^1"}}',
      'govuk-one-login',
    ],
    ['package.json', '{"dependencies":{"@dwp/govuk-casa":"^9"}}', 'govuk-frontend'],
    ['package.json', '{"dependencies":{"hof":"^22"}}', 'govuk-frontend'],
    ['package.json', '{"dependencies":{"hmpo-components":"^7"}}', 'govuk-frontend'],
    ['package.json', '{"dependencies":{"@hmlr/frontend":"^1"}}', 'govuk-frontend'],
    [
      'package.json',
      '{"dependencies":{"@x-govuk/govuk-prototype-components":"^3"}}',
      'govuk-frontend',
    ],
    ['package.json', '{"dependencies":{"govuk-react":"^0.10"}}', 'govuk-frontend'],
    ['package.json', '{"dependencies":{"hmrc-frontend":"^6"}}', 'hmrc-frontend'],
    ['package.json', '{"dependencies":{"@ministryofjustice/frontend":"^3"}}', 'moj-frontend'],
    ['package.json', '{"dependencies":{"@ons/design-system":"^70"}}', 'ons-design-system'],
    ['package.json', '{"dependencies":{"nhsuk-frontend":"^9"}}', 'nhsuk-frontend'],
    ['package.json', '{"dependencies":{"@uswds/uswds":"^3"}}', 'uswds'],
    [
      'package.json',
      '{"dependencies":{"@department-of-veterans-affairs/component-library":"^46"}}',
      'uswds',
    ],
    ['package.json', '{"dependencies":{"@trussworks/react-uswds":"^9"}}', 'uswds'],
    ['package.json', '{"dependencies":{"@gcds-core/components":"^0.30"}}', 'gcds'],
    ['package.json', '{"dependencies":{"@cdssnc/gcds-components-react":"^0.20"}}', 'gcds'],
    [
      'package.json',
      '{"dependencies":{"@ongov/ontario-design-system-global-styles":"^3"}}',
      'ontario-design-system',
    ],
    ['package.json', '{"dependencies":{"nsw-design-system":"^3"}}', 'nsw-design-system'],
    ['package.json', '{"dependencies":{"@gold.au/buttons":"^1"}}', 'gold'],
    ['package.json', '{"dependencies":{"wet-boew":"^4"}}', 'canada-wet'],
    ['.env.example', 'OIDC_ISSUER=https://oidc.account.gov.uk/', 'govuk-one-login'],
    ['.env.example', 'ISSUER=https://oidc.integration.account.gov.uk/', 'govuk-one-login'],
    ['.env.example', 'IPV=https://identity.integration.account.gov.uk/', 'govuk-one-login'],
    ['.env.example', 'ACCOUNT=https://home.account.gov.uk/', 'govuk-one-login'],
    ['config/login.yml', 'idp: https://secure.login.gov', 'login-gov'],
    ['config/login.yml', 'idp: https://idp.int.identitysandbox.gov', 'login-gov'],
    ['config/login.yml', 'acr: urn:gov:gsa:openidconnect.profiles:sp:sso:agency:app', 'login-gov'],
    ['config/initializers/omniauth.rb', '  provider :login_dot_gov, {}', 'login-gov'],
    ['.env.example', 'PAY_API_URL=https://publicapi.payments.service.gov.uk', 'govuk-pay'],
    ['.env.example', 'GOVUK_PAY_API_KEY=', 'govuk-pay'],
    ['.env.example', 'NOTIFY_URL=https://api.notification.canada.ca', 'gc-notify'],
    ['.env.example', 'NHS_NOTIFY_API_KEY=', 'nhs-notify'],
    [
      'config/settings.yml',
      'vanotify:\n  client_url: https://sandbox-api.va.gov/vanotify',
      'va-notify',
    ],
    ['.env.example', 'OIDC_CLIENT_ID=urn:gov:gsa:openidconnect:sp:sinatra', 'login-gov'],
    [
      '.env.example',
      '# This is required for all the features leveraging the GC Notify API\nNOTIFY_API_KEY=',
      'gc-notify',
    ],
    ['.design-system-version', '53.0.4', 'ons-design-system'],
    [
      'service-front/composer.json',
      '{"autoload":{"psr-4":{"Alphagov\\\\Pay\\\\":"module/Alphagov/Pay/src/"}}}',
      'govuk-pay',
    ],
    [
      'package.json',
      '{"dependencies":{"@department-of-veterans-affairs/component-library":"^46"}}',
      'va-design-system',
    ],
    ['package.json', '{"dependencies":{"@cmsgov/design-system":"^10"}}', 'cms-design-system'],
    ['Gemfile', "gem 'govuk_frontend_toolkit'", 'govuk-legacy-frontend'],
  ];
  it.each(REAL)('%s: %s is %s', (file, text, expected) => {
    const e = detectEvidence({ paths: [file], files: new Map([[file, text]]) });
    expect([...e.design_systems.map((d) => d.id), ...e.platforms.map((p) => p.id)]).toEqual(
      expect.arrayContaining([expected]),
    );
  });
});

describe('a client several governments share', () => {
  const notifyClient = '{"dependencies": {"notifications-node-client": "8.2.0"}}';
  const detect = (files: Record<string, string>) => {
    const e = detectEvidence({ paths: Object.keys(files), files: new Map(Object.entries(files)) });
    return e.platforms.map((p) => p.id);
  };

  it("is credited to GOV.UK Notify in a service with no other government's design system", () => {
    expect(detect({ 'package.json': notifyClient })).toEqual(['govuk-notify']);
  });

  it("is credited to no platform in a service on another government's design system", () => {
    const canadian = JSON.stringify({
      dependencies: { 'notifications-node-client': '8.2.0', '@cdssnc/gcds-components': '0.26.1' },
    });
    expect(detect({ 'package.json': canadian })).toEqual([]);
  });

  it("is the other government's platform where its host or name is configured", () => {
    const canadian = JSON.stringify({
      dependencies: { 'notifications-node-client': '8.2.0', '@cdssnc/gcds-components': '0.26.1' },
    });
    expect(
      detect({
        'package.json': canadian,
        '.env.example': 'NOTIFY_API_URL=https://api.notification.canada.ca\n',
      }),
    ).toContain('gc-notify');
  });
});

describe('a wrapper whose old majors bundled another design system', () => {
  it('shows the retired toolkit below the major, and GOV.UK Frontend from it', () => {
    const ids = (version: string) =>
      detectEvidence({
        paths: ['package.json'],
        files: new Map([['package.json', `{"dependencies": {"hof": "${version}"}}`]]),
      }).design_systems.map((d) => [d.id, d.unmaintained]);
    expect(ids('12.1.0')).toEqual([['govuk-legacy-frontend', true]]);
    expect(ids('22.7.6')).toEqual([['govuk-frontend', false]]);
  });
});
