/**
 * Domain facts from shared/domain/standards.md that code needs to know about:
 * phase order, design-system packages and shared-platform signals.
 * Thresholds and version floors are NOT here: they are policy values (see policy/defaults.ts).
 */

export const PHASES = [
  'discovery',
  'alpha',
  'private-beta',
  'public-beta',
  'live',
  'retired',
] as const;
export type Phase = (typeof PHASES)[number];

export const ASSESSMENT_PHASES = ['alpha', 'beta', 'live'] as const;
export const ASSESSMENT_OUTCOMES = ['met', 'not-met', 'green', 'amber', 'red'] as const;

/** The assessment a service must have passed to be in a phase (the gate it came through). */
export const ENTRY_ASSESSMENT: Partial<Record<Phase, (typeof ASSESSMENT_PHASES)[number]>> = {
  'private-beta': 'alpha',
  'public-beta': 'beta',
  live: 'live',
};

export type Ecosystem = 'npm' | 'rubygems' | 'pypi' | 'go';

export interface DesignSystemEntry {
  id: string;
  title: string;
  packages: Partial<Record<Ecosystem, string[]>>;
  /** Packages that identify the design system but are unmaintained or decommissioned. */
  unmaintained?: Partial<Record<Ecosystem, string[]>>;
  /** Packages that bundle the design system: their own version says nothing about its version. */
  wrappers?: Partial<Record<Ecosystem, string[]>>;
}

export const DESIGN_SYSTEMS: DesignSystemEntry[] = [
  {
    id: 'govuk-frontend',
    title: 'GOV.UK Frontend',
    packages: {
      npm: ['govuk-frontend'],
      rubygems: ['govuk-components', 'govuk_design_system_formbuilder'],
      pypi: ['govuk-frontend-jinja', 'govuk-frontend-wtf'],
    },
    // alphagov's Rails apps take GOV.UK Frontend through this gem; DBT's Django apps through this package.
    wrappers: { rubygems: ['govuk_publishing_components'], pypi: ['govuk-frontend-django'] },
  },
  {
    id: 'nhsuk-frontend',
    title: 'NHS.UK Frontend',
    packages: { npm: ['nhsuk-frontend'], pypi: ['nhsuk-frontend-jinja'] },
  },
  { id: 'hmrc-frontend', title: 'HMRC Frontend', packages: { npm: ['hmrc-frontend'] } },
  {
    id: 'moj-frontend',
    title: 'MOJ Frontend',
    packages: { npm: ['@ministryofjustice/frontend'] },
  },
  {
    id: 'uswds',
    title: 'U.S. Web Design System',
    packages: { npm: ['@uswds/uswds', 'uswds', '@trussworks/react-uswds'] },
  },
  {
    id: 'gcds',
    title: 'GC Design System',
    packages: {
      npm: [
        '@gcds-core/components',
        '@gcds-core/components-react',
        '@gcds-core/components-vue',
        '@gcds-core/components-angular',
        '@cdssnc/gcds-components',
      ],
    },
  },
  {
    id: 'ontario-design-system',
    title: 'Ontario Design System',
    packages: {
      npm: [
        '@ongov/ontario-design-system-global-styles',
        '@ongov/ontario-design-system-component-library',
      ],
    },
  },
  {
    id: 'gold',
    title: 'GOLD Design System (Australia)',
    packages: { npm: ['@gold.au/*'] },
    unmaintained: { npm: ['@gov.au/*'] },
  },
];

export const DESIGN_SYSTEM_IDS = DESIGN_SYSTEMS.map((d) => d.id) as [string, ...string[]];

export const PLATFORM_CATEGORIES = ['identity', 'payments', 'notifications', 'forms'] as const;
export type PlatformCategory = (typeof PLATFORM_CATEGORIES)[number] | 'data-exchange';

export interface PlatformEntry {
  id: string;
  title: string;
  category: PlatformCategory;
  hosts?: string[];
  env?: string[];
  packages?: Partial<Record<Ecosystem, string[]>>;
  /** Some clients are shared (GC Notify uses GOV.UK Notify's clients); the host then decides. */
  packagesNeedHost?: boolean;
}

const NOTIFY_CLIENTS: Partial<Record<Ecosystem, string[]>> = {
  npm: ['notifications-node-client'],
  pypi: ['notifications-python-client'],
  rubygems: ['notifications-ruby-client'],
};

export const PLATFORMS: PlatformEntry[] = [
  {
    id: 'govuk-notify',
    title: 'GOV.UK Notify',
    category: 'notifications',
    hosts: ['api.notifications.service.gov.uk'],
    env: ['NOTIFY_API_KEY', 'GOVUK_NOTIFY_API_KEY'],
    packages: NOTIFY_CLIENTS,
  },
  {
    id: 'gc-notify',
    title: 'GC Notify',
    category: 'notifications',
    hosts: ['api.notification.canada.ca'],
    env: ['GC_NOTIFY_API_KEY'],
  },
  { id: 'notify-gov', title: 'Notify.gov', category: 'notifications', hosts: ['api.notify.gov'] },
  {
    id: 'govuk-pay',
    title: 'GOV.UK Pay',
    category: 'payments',
    hosts: ['publicapi.payments.service.gov.uk'],
    env: ['GOVUK_PAY_API_KEY', 'PAY_API_KEY'],
    packages: { rubygems: ['govuk-pay-ruby-client'] },
  },
  {
    id: 'pay-gov',
    title: 'Pay.gov',
    category: 'payments',
    hosts: ['tcs.pay.gov', 'qa.tcs.pay.gov', 'www.pay.gov/tcsonline'],
  },
  {
    id: 'govuk-one-login',
    title: 'GOV.UK One Login',
    category: 'identity',
    hosts: ['oidc.account.gov.uk', 'oidc.integration.account.gov.uk'],
    packages: { pypi: ['govuk-onelogin-django'] },
  },
  {
    id: 'login-gov',
    title: 'Login.gov',
    category: 'identity',
    hosts: ['secure.login.gov', 'idp.int.identitysandbox.gov'],
    packages: { rubygems: ['omniauth_login_dot_gov'], pypi: ['django-logingov'] },
  },
  {
    id: 'tara',
    title: 'TARA (Estonia)',
    category: 'identity',
    hosts: ['tara.ria.ee', 'tara-test.ria.ee'],
  },
  {
    id: 'govuk-forms',
    title: 'GOV.UK Forms',
    category: 'forms',
    hosts: ['submit.forms.service.gov.uk/form/'],
  },
  {
    id: 'gc-forms',
    title: 'GC Forms',
    category: 'forms',
    hosts: ['forms-formulaires.alpha.canada.ca'],
  },
  { id: 'x-road', title: 'X-Road', category: 'data-exchange', hosts: ['X-Road-Client'] },
];

export const PLATFORM_IDS_BY_CATEGORY = Object.fromEntries(
  PLATFORM_CATEGORIES.map((c) => [c, PLATFORMS.filter((p) => p.category === c).map((p) => p.id)]),
) as Record<(typeof PLATFORM_CATEGORIES)[number], string[]>;

/**
 * Libraries that mean a team is building its own identity, payment or notification stack
 * where a shared platform exists (a GOV.UK point 13 / TCoP point 8 concern).
 */
export const OWN_BUILD_SIGNALS: {
  category: PlatformCategory;
  packages: Partial<Record<Ecosystem, string[]>>;
}[] = [
  {
    category: 'notifications',
    packages: {
      npm: ['nodemailer', 'twilio', '@sendgrid/mail', 'mailgun.js', '@aws-sdk/client-ses'],
      pypi: ['twilio', 'sendgrid'],
      rubygems: ['twilio-ruby', 'sendgrid-ruby'],
      go: ['github.com/twilio/twilio-go', 'github.com/sendgrid/sendgrid-go'],
    },
  },
  {
    category: 'payments',
    packages: {
      npm: ['stripe', '@paypal/checkout-server-sdk', 'braintree'],
      pypi: ['stripe', 'braintree'],
      rubygems: ['stripe', 'braintree'],
      go: ['github.com/stripe/stripe-go'],
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
