/**
 * The catalogue of design systems and shared platforms, and the signals that show each in a
 * repository: package coordinates per ecosystem, host names, environment variable names and
 * literal strings. This file is data: evidence detection reads it and never names a package
 * itself. test/core/domain/signals.test.ts validates it (ids, relationships, globs, spelling).
 *
 * To add a signal, add it to the entry below and a line to that test's "real signals" table.
 */

/** Package registries whose coordinates the evidence readers extract. */
export const ECOSYSTEMS = [
  'npm',
  'rubygems',
  'pypi',
  'maven',
  'nuget',
  'composer',
  'go',
  // A file that only a design system's tooling writes (ONS's `.design-system-version`): its name
  // is the "package", its contents the version.
  'version-file',
] as const;
export type Ecosystem = (typeof ECOSYSTEMS)[number];

/**
 * Package names per ecosystem. `*` is a glob (`@x-govuk/*`). Maven names are `group:artifact`
 * without a Scala suffix (`_2.13`); NuGet names are matched case-insensitively, PyPI names after
 * PEP 503 normalisation.
 */
export type Packages = Partial<Record<Ecosystem, readonly string[]>>;

/**
 * Whose government a design system or platform belongs to: `uk`, `us`, `ca`, `au`, `ee` (ISO
 * 3166 codes, lower case), or `any`. Bundled packs name the same codes (`jurisdiction:`), so
 * `init` suggests the packs a repository's evidence points to, and a client library several
 * countries' platforms share is not credited to one country's platform in another's service.
 */
export type Jurisdiction = 'uk' | 'us' | 'ca' | 'au' | 'ee' | 'any';

export interface DesignSystemSignals {
  id: string;
  title: string;
  jurisdiction: Jurisdiction;
  /** Packages that are the design system itself: their version is its version. */
  packages: Packages;
  /** Packages that bundle it (a framework or component library): their version says nothing of its version. */
  wrappers?: Packages;
  /** Packages of the design system's family that are decommissioned or unmaintained. */
  unmaintained?: Packages;
  /** Design systems this one builds on: declaring this one is consistent with finding those. */
  extends?: readonly string[];
  /**
   * Another design system's wrappers that bundled this one below a major version (hof before
   * 13 shipped the retired GOV.UK Template): there they show this one, flagged as unmaintained.
   */
  bundledBy?: readonly { ecosystem: Ecosystem; name: string; belowMajor: number }[];
}

/** Categories a service declares under `platforms:`, and two that are reported but not declared. */
export type SignalCategory =
  'identity' | 'payments' | 'notifications' | 'forms' | 'data-exchange' | 'performance';

export interface PlatformSignals {
  id: string;
  title: string;
  jurisdiction: Jurisdiction;
  category: SignalCategory;
  /** Host names (or host/path prefixes) that only this platform serves. */
  hosts?: readonly string[];
  /** Environment variable names, matched as whole identifiers. */
  env?: readonly string[];
  /** Other literal strings only an integration with this platform contains. */
  text?: readonly string[];
  packages?: Packages;
  /** Decommissioned or unmaintained: using it is flagged. */
  unmaintained?: boolean;
  /**
   * Names the platform's own code is published under (package.json `name`, pyproject `name`, ...):
   * a repository that is the platform does not "use" it, so none of its signals count there.
   */
  ownCode?: readonly string[];
  /**
   * This platform is used through another platform's client libraries and key names (GC Notify
   * and Notify.gov run GOV.UK Notify's code): where this platform's host is configured, those
   * shared signals are this platform's, not the other's.
   */
  sharesClientsOf?: string;
}

// GOV.UK Notify's client libraries, which its forks (GC Notify, Notify.gov, VA Notify) also use.
const NOTIFY_CLIENTS: Packages = {
  npm: ['notifications-node-client'],
  pypi: ['notifications-python-client', 'django-gov-notify'],
  rubygems: ['notifications-ruby-client', 'govuk_notify_rails', 'mail-notify'],
  maven: ['uk.gov.service.notify:notifications-java-client'],
  // `Notify` is the .NET client's NuGet name before 2020.
  nuget: ['GovukNotify', 'Notify'],
  composer: ['alphagov/notifications-php-client'],
};

export const DESIGN_SYSTEMS: readonly DesignSystemSignals[] = [
  {
    id: 'govuk-frontend',
    jurisdiction: 'uk',
    title: 'GOV.UK Frontend',
    packages: { npm: ['govuk-frontend'] },
    // Ports, frameworks and component libraries that bring GOV.UK Frontend with them. Their own
    // version numbers are not GOV.UK Frontend's (govuk-components 5 ships GOV.UK Frontend 5.x,
    // GovUk.Frontend.AspNetCore 2 ships 5.x), so they show the design system without a version.
    wrappers: {
      npm: [
        '@dwp/govuk-casa',
        'hof',
        'hmpo-components',
        '@hmlr/frontend',
        '@x-govuk/*',
        'govuk-react',
        'govuk-prototype-kit',
      ],
      rubygems: [
        'govuk-components',
        'govuk_design_system_formbuilder',
        'govuk_publishing_components',
      ],
      pypi: [
        'govuk-frontend-jinja',
        'govuk-frontend-wtf',
        'govuk-frontend-django',
        'crispy-forms-gds',
      ],
      // GovUkDesignSystem: the same library as an in-repository project (a ProjectReference).
      nuget: ['GovUk.Frontend.AspNetCore', 'CabinetOffice.GovUkDesignSystem', 'GovUkDesignSystem'],
      maven: ['uk.gov.hmrc:play-frontend-govuk'],
    },
  },
  {
    // GOV.UK's retired toolkits: flagged, and never counted as GOV.UK Frontend.
    id: 'govuk-legacy-frontend',
    jurisdiction: 'uk',
    title: 'GOV.UK Template, Frontend Toolkit and Elements (retired)',
    packages: {},
    unmaintained: {
      npm: [
        'govuk_frontend_toolkit',
        'govuk-elements-sass',
        'govuk_template_jinja',
        'govuk_template_mustache',
      ],
      rubygems: [
        'govuk_frontend_toolkit',
        'govuk_template',
        'govuk_elements_rails',
        'govuk_elements_form_builder',
      ],
      pypi: ['govuk-template', 'govuk-frontend-toolkit'],
      maven: ['uk.gov.hmrc:govuk-template'],
    },
    // hof 1 to 12 (2015-2017) shipped GOV.UK Template through hof-govuk-template; GOV.UK
    // Frontend (2018) came with hof's later majors.
    bundledBy: [{ ecosystem: 'npm', name: 'hof', belowMajor: 13 }],
  },
  {
    id: 'hmrc-frontend',
    jurisdiction: 'uk',
    title: 'HMRC Frontend',
    packages: { npm: ['hmrc-frontend'] },
    // play-frontend-hmrc's version (10.x) is not HMRC Frontend's (6.x).
    wrappers: { maven: ['uk.gov.hmrc:play-frontend-hmrc*'] },
    unmaintained: { maven: ['uk.gov.hmrc:play-ui', 'uk.gov.hmrc:assets-frontend'] },
    extends: ['govuk-frontend'],
  },
  {
    id: 'moj-frontend',
    jurisdiction: 'uk',
    title: 'MOJ Frontend',
    packages: { npm: ['@ministryofjustice/frontend'] },
    extends: ['govuk-frontend'],
  },
  {
    id: 'nhsuk-frontend',
    jurisdiction: 'uk',
    title: 'NHS.UK Frontend',
    packages: { npm: ['nhsuk-frontend'] },
    wrappers: { npm: ['nhsuk-react-components'], pypi: ['nhsuk-frontend-jinja'] },
  },
  {
    id: 'ons-design-system',
    jurisdiction: 'uk',
    title: 'ONS Design System',
    packages: { npm: ['@ons/design-system'], 'version-file': ['.design-system-version'] },
  },
  {
    id: 'uswds',
    jurisdiction: 'us',
    title: 'U.S. Web Design System',
    packages: { npm: ['@uswds/uswds', 'uswds'] },
    wrappers: {
      npm: ['@trussworks/react-uswds', '@uswds/compile'],
      pypi: ['django-uswds-forms'],
    },
  },
  {
    id: 'va-design-system',
    jurisdiction: 'us',
    title: 'VA.gov Design System',
    packages: {
      npm: [
        '@department-of-veterans-affairs/component-library',
        '@department-of-veterans-affairs/web-components',
        '@department-of-veterans-affairs/css-library',
        '@department-of-veterans-affairs/formation',
      ],
    },
    extends: ['uswds'],
  },
  {
    id: 'cms-design-system',
    jurisdiction: 'us',
    title: 'CMS Design System',
    packages: {
      npm: ['@cmsgov/design-system', '@cmsgov/ds-healthcare-gov', '@cmsgov/ds-medicare-gov'],
    },
    extends: ['uswds'],
  },
  {
    id: 'gcds',
    jurisdiction: 'ca',
    title: 'GC Design System',
    packages: { npm: ['@gcds-core/components*', '@cdssnc/gcds-components*'] },
    wrappers: { npm: ['@gcds-core/*', '@cdssnc/gcds-tokens'] },
  },
  {
    id: 'canada-wet',
    jurisdiction: 'ca',
    title: 'Canada.ca WET and GCWeb',
    packages: { npm: ['wet-boew', 'gcweb', 'theme-gcweb'], composer: ['drupal/wxt'] },
    wrappers: { nuget: ['GoC.WebTemplate.*'] },
  },
  {
    id: 'ontario-design-system',
    jurisdiction: 'ca',
    title: 'Ontario Design System',
    packages: { npm: ['@ongov/ontario-design-system-*'] },
  },
  {
    id: 'nsw-design-system',
    jurisdiction: 'au',
    title: 'NSW Design System',
    packages: { npm: ['nsw-design-system'] },
  },
  {
    id: 'gold',
    jurisdiction: 'au',
    title: 'GOLD Design System (Australia)',
    packages: { npm: ['@gold.au/*'] },
    unmaintained: { npm: ['@gov.au/*'] },
  },
  {
    id: 'agds',
    jurisdiction: 'au',
    title: 'Australian Government Design System',
    packages: { npm: ['@ag.ds-next/*'] },
  },
];

export const PLATFORMS: readonly PlatformSignals[] = [
  {
    id: 'govuk-notify',
    jurisdiction: 'uk',
    title: 'GOV.UK Notify',
    category: 'notifications',
    hosts: ['api.notifications.service.gov.uk'],
    env: ['NOTIFY_API_KEY', 'GOVUK_NOTIFY_API_KEY', 'GOV_NOTIFY_API_KEY', 'GOVUK_NOTIFY_KEY'],
    packages: NOTIFY_CLIENTS,
    // GOV.UK Notify's own services, and those of its forks (Notify.gov, GC Notify, VA Notify).
    ownCode: ['notifications-api', 'notifications-admin', 'notification-api', 'notification-admin'],
  },
  {
    id: 'gc-notify',
    jurisdiction: 'ca',
    title: 'GC Notify',
    category: 'notifications',
    hosts: ['api.notification.canada.ca', 'notification.canada.ca', 'notification.cdssandbox.xyz'],
    env: ['GC_NOTIFY_API_KEY'],
    text: ['GC Notify'],
    sharesClientsOf: 'govuk-notify',
  },
  {
    id: 'va-notify',
    jurisdiction: 'us',
    title: 'VA Notify',
    category: 'notifications',
    hosts: ['api.notifications.va.gov', 'va.gov/vanotify'],
    env: ['VA_NOTIFY_API_KEY', 'VANOTIFY_API_KEY'],
    sharesClientsOf: 'govuk-notify',
  },
  {
    id: 'nhs-notify',
    jurisdiction: 'uk',
    title: 'NHS Notify',
    category: 'notifications',
    hosts: ['api.service.nhs.uk/comms'],
    env: ['NHS_NOTIFY_API_KEY'],
  },
  {
    id: 'notify-gov',
    jurisdiction: 'us',
    title: 'Notify.gov',
    category: 'notifications',
    hosts: ['api.notify.gov'],
    env: ['NOTIFY_GOV_API_KEY'],
    unmaintained: true,
    sharesClientsOf: 'govuk-notify',
  },
  {
    id: 'govuk-pay',
    jurisdiction: 'uk',
    title: 'GOV.UK Pay',
    category: 'payments',
    hosts: ['publicapi.payments.service.gov.uk', 'card.payments.service.gov.uk'],
    env: [
      'GOVUK_PAY_API_KEY',
      'GOV_UK_PAY_API_KEY',
      'GOVUK_PAY_API_URL',
      'GOVUK_PAY_URL',
      'PAY_API_KEY',
      'PAY_API_URL',
    ],
    // A comment naming the platform says which one generic keys (PAYMENT_KEY) are for.
    text: ['GOV.UK Pay', 'Gov Pay'],
    // MoJ's services vendor a Pay client module under the Alphagov\Pay namespace.
    packages: { rubygems: ['govuk-pay-ruby-client'], composer: ['autoload:alphagov\\pay\\'] },
  },
  {
    id: 'pay-gov',
    jurisdiction: 'us',
    title: 'Pay.gov',
    category: 'payments',
    hosts: ['tcs.pay.gov', 'qa.tcs.pay.gov', 'www.pay.gov/tcsonline'],
  },
  {
    id: 'govuk-one-login',
    jurisdiction: 'uk',
    title: 'GOV.UK One Login',
    category: 'identity',
    hosts: [
      'oidc.account.gov.uk',
      'oidc.integration.account.gov.uk',
      'identity.account.gov.uk',
      'identity.integration.account.gov.uk',
      'home.account.gov.uk',
      'signin.account.gov.uk',
    ],
    env: ['GOVUK_ONE_LOGIN_CLIENT_ID', 'ONE_LOGIN_CLIENT_ID'],
    packages: { npm: ['@govuk-one-login/*'], pypi: ['govuk-onelogin-django'] },
  },
  {
    id: 'govuk-verify',
    jurisdiction: 'uk',
    title: 'GOV.UK Verify',
    category: 'identity',
    hosts: [
      'www.signin.service.gov.uk',
      'compliance-tool-reference.ida.digital.cabinet-office.gov.uk',
    ],
    packages: { maven: ['uk.gov.ida:*'] },
    unmaintained: true,
  },
  {
    id: 'login-gov',
    jurisdiction: 'us',
    title: 'Login.gov',
    category: 'identity',
    hosts: ['secure.login.gov', 'idp.int.identitysandbox.gov'],
    text: [
      'urn:gov:gsa:openidconnect.profiles:sp:sso:',
      // Client ids in Login.gov's namespace.
      'urn:gov:gsa:openidconnect:sp:',
      'urn:gov:gsa:SAML:2.0.profiles:sp:sso:',
      'provider :login_dot_gov',
    ],
    env: ['LOGIN_GOV_CLIENT_ID'],
    packages: { rubygems: ['omniauth_login_dot_gov'], pypi: ['django-logingov'] },
  },
  {
    id: 'tara',
    jurisdiction: 'ee',
    title: 'TARA (Estonia)',
    category: 'identity',
    hosts: ['tara.ria.ee', 'tara-test.ria.ee'],
  },
  {
    id: 'govuk-forms',
    jurisdiction: 'uk',
    title: 'GOV.UK Forms',
    category: 'forms',
    hosts: ['submit.forms.service.gov.uk/form/'],
  },
  {
    id: 'gc-forms',
    jurisdiction: 'ca',
    title: 'GC Forms',
    category: 'forms',
    hosts: ['forms-formulaires.alpha.canada.ca'],
  },
  {
    id: 'x-road',
    jurisdiction: 'any',
    title: 'X-Road',
    category: 'data-exchange',
    text: ['X-Road-Client'],
  },
  {
    id: 'govuk-performance-platform',
    jurisdiction: 'uk',
    title: 'GOV.UK Performance Platform',
    category: 'performance',
    hosts: ['www.gov.uk/performance/', 'performance-platform'],
    unmaintained: true,
  },
];

/**
 * Libraries that mean a team is building its own identity, payment or notification stack
 * where a shared platform exists (a GOV.UK point 13 / TCoP point 8 concern).
 */
export const OWN_BUILD_SIGNALS: readonly { category: SignalCategory; packages: Packages }[] = [
  {
    category: 'notifications',
    packages: {
      npm: ['nodemailer', 'twilio', '@sendgrid/mail', 'mailgun.js', '@aws-sdk/client-ses'],
      pypi: ['twilio', 'sendgrid'],
      rubygems: ['twilio-ruby', 'sendgrid-ruby'],
      go: ['github.com/twilio/twilio-go', 'github.com/sendgrid/sendgrid-go'],
      maven: ['com.twilio.sdk:twilio', 'com.sendgrid:sendgrid-java'],
      nuget: ['Twilio', 'SendGrid'],
      composer: ['twilio/sdk', 'sendgrid/sendgrid'],
    },
  },
  {
    category: 'payments',
    packages: {
      npm: ['stripe', '@paypal/checkout-server-sdk', 'braintree'],
      pypi: ['stripe', 'braintree'],
      rubygems: ['stripe', 'braintree'],
      go: ['github.com/stripe/stripe-go*'],
      maven: ['com.stripe:stripe-java'],
      nuget: ['Stripe.net'],
      composer: ['stripe/stripe-php'],
    },
  },
  {
    category: 'identity',
    packages: {
      npm: ['passport-local', 'bcrypt', 'bcryptjs'],
      pypi: ['django-allauth', 'flask-login'],
      rubygems: ['devise', 'bcrypt'],
    },
  },
];
