import { parseArgs } from 'node:util';
import { didYouMean } from '../../core/suggest.js';
import { UsageError } from '../../errors.js';

/**
 * Every command's arguments and options, in one table: the parser and the help text both come
 * from it, so an option cannot be accepted without being documented, or documented without
 * being accepted.
 */
interface OptionSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
  /** The placeholder shown in help, e.g. FILE. */
  value?: string;
  help: string;
}

interface CommandSpec {
  args: string;
  summary: string;
  options: Record<string, OptionSpec>;
  positionals?: { min: number; max: number };
  notes?: string;
}

const POLICY_OPTIONS = {
  config: {
    type: 'string',
    value: 'FILE',
    help: "The repository's policy file (default: DIR/.github/service-gate.yml if present)",
  },
  central: {
    type: 'string',
    multiple: true,
    value: 'FILE',
    help: 'A central policy file, most general first (repeatable)',
  },
} as const satisfies Record<string, OptionSpec>;

const NOW = {
  type: 'string',
  value: 'YYYY-MM-DD',
  help: 'Judge as of this date (default: today)',
} as const satisfies OptionSpec;

const OUTPUT = {
  type: 'string',
  value: 'FILE',
  help: 'Write to FILE (its folder is created) instead of stdout',
} as const satisfies OptionSpec;

export const COMMANDS = {
  check: {
    args: '[DIR | DIR/service.yml]',
    summary: "Judge a service's service.yml and evidence against the rule packs",
    positionals: { min: 0, max: 1 },
    options: {
      'base-ref': {
        type: 'string',
        value: 'REF',
        help: 'Judge the change from service.yml at git REF, e.g. origin/main (phase gates)',
      },
      base: { type: 'string', value: 'FILE', help: 'Judge the change from this base service.yml' },
      ...POLICY_OPTIONS,
      manifest: {
        type: 'string',
        value: 'PATH',
        help: 'service.yml path inside DIR (default: service.yml, else service.yaml)',
      },
      repo: {
        type: 'string',
        value: 'OWNER/NAME',
        help: "The repository's identity, for waivers and targets (default: from the git remote)",
      },
      format: {
        type: 'string',
        value: 'FORMAT',
        help: 'text | markdown | json | sarif (default: text)',
      },
      output: OUTPUT,
      now: NOW,
    },
  },
  explain: {
    args: 'RULE',
    summary: 'Say what a rule checks, why, where it comes from, and how to fix it',
    positionals: { min: 1, max: 1 },
    options: { ...POLICY_OPTIONS },
    notes:
      'RULE is a rule id as the output prints it, e.g. gds.1.research-recent or manifest/invalid-value.',
  },
  rules: {
    args: '',
    summary: 'List the rules, with filters',
    positionals: { min: 0, max: 0 },
    options: {
      pack: { type: 'string', multiple: true, value: 'ID', help: 'Only this pack (repeatable)' },
      phase: { type: 'string', value: 'PHASE', help: 'Only rules that apply in this phase' },
      severity: { type: 'string', value: 'LEVEL', help: 'Only failure, warning or notice rules' },
      gates: { type: 'boolean', help: 'Only phase-gate rules' },
      format: { type: 'string', value: 'FORMAT', help: 'text | json (default: text)' },
      ...POLICY_OPTIONS,
    },
  },
  init: {
    args: '[DIR]',
    summary: "Write a starter service.yml from the repository's evidence (never overwrites)",
    positionals: { min: 0, max: 1 },
    options: {},
  },
  schema: {
    args: '[--draft-07]',
    summary: 'Print the JSON Schema of service.yml',
    positionals: { min: 0, max: 0 },
    options: {
      'draft-07': { type: 'boolean', help: 'The draft-07 build SchemaStore takes' },
    },
  },
  policy: {
    args: '--explain [DIR]',
    summary: 'Show every effective policy setting and the file and line that set it',
    positionals: { min: 0, max: 1 },
    options: {
      explain: { type: 'boolean', help: 'Explain the effective policy (required)' },
      ...POLICY_OPTIONS,
      format: { type: 'string', value: 'FORMAT', help: 'text | json (default: text)' },
    },
  },
  audit: {
    args: '(--org ORG... | --local DIR)',
    summary: 'A portfolio report across organisations (through the API) or a folder of checkouts',
    positionals: { min: 0, max: 0 },
    options: {
      org: {
        type: 'string',
        multiple: true,
        value: 'ORG',
        help: 'An organisation to audit (repeatable; needs GITHUB_TOKEN)',
      },
      local: { type: 'string', value: 'DIR', help: 'A folder whose sub-folders are repositories' },
      format: {
        type: 'string',
        value: 'FORMAT',
        help: 'markdown | json | csv | html (default: markdown)',
      },
      output: OUTPUT,
      shard: {
        type: 'string',
        value: 'I/N',
        help: 'Audit the I-th of N stable slices (see merge)',
      },
      threads: {
        type: 'string',
        value: 'N',
        help: 'Threads judging --local checkouts (default: one per CPU core, at most 4, from 1,000 checkouts)',
      },
      ...POLICY_OPTIONS,
      now: NOW,
      'include-archived': { type: 'boolean', help: 'Also audit archived repositories' },
      'include-forks': { type: 'boolean', help: 'Also audit forks' },
      previous: {
        type: 'string',
        value: 'REPORT.json',
        help: 'An earlier audit --format json report: say what changed since',
      },
    },
    notes:
      'GITHUB_TOKEN (or GH_TOKEN) and GITHUB_API_URL (GitHub Enterprise Server) are read for --org.',
  },
  merge: {
    args: 'SHARD.json...',
    summary: 'Combine the shard reports of audit --format json into one report',
    positionals: { min: 1, max: Infinity },
    options: {
      format: {
        type: 'string',
        value: 'FORMAT',
        help: 'markdown | json | csv | html (default: markdown)',
      },
      output: OUTPUT,
      config: {
        type: 'string',
        value: 'FILE',
        help: 'The central policy, for its maturity thresholds',
      },
      now: NOW,
      previous: {
        type: 'string',
        value: 'REPORT.json',
        help: 'An earlier report: say what changed since',
      },
      'allow-partial': {
        type: 'boolean',
        help: 'Write a report even when shards are missing (it says which)',
      },
    },
  },
  drift: {
    args: '(--org ORG... | --repo OWNER/NAME... | --local DIR --dry-run)',
    summary: "Keep one issue per repository up to date with its default branch's findings",
    positionals: { min: 0, max: 0 },
    options: {
      org: {
        type: 'string',
        multiple: true,
        value: 'ORG',
        help: 'Every repository of ORG (repeatable)',
      },
      repo: {
        type: 'string',
        multiple: true,
        value: 'OWNER/NAME',
        help: 'One repository (repeatable)',
      },
      local: {
        type: 'string',
        value: 'DIR',
        help: 'A folder of checkouts, judged from disk (with --dry-run; no token needed)',
      },
      'interval-hours': {
        type: 'string',
        value: 'N',
        help: 'Edit an issue at most every N hours (default: 24)',
      },
      'bot-login': { type: 'string', value: 'LOGIN', help: "The token's login, if not a bot's" },
      'dry-run': {
        type: 'boolean',
        help: 'Print the issue each repository would get, and change nothing',
      },
      now: NOW,
    },
    notes: 'Needs GITHUB_TOKEN with issues: write (read access is enough with --dry-run).',
  },
} as const satisfies Record<string, CommandSpec>;

export type CommandName = keyof typeof COMMANDS;
export const COMMAND_NAMES = Object.keys(COMMANDS) as CommandName[];

export function isCommand(name: string | undefined): name is CommandName {
  return name !== undefined && Object.hasOwn(COMMANDS, name);
}

type Values<O extends Record<string, OptionSpec>> = {
  [K in keyof O]?: O[K] extends { type: 'boolean' }
    ? boolean
    : O[K] extends { multiple: true }
      ? string[]
      : string;
};

/** The command's options, checked against its table entry; any mistake is a UsageError naming the fix. */
export function parseCommand<N extends CommandName>(
  name: N,
  args: readonly string[],
): { values: Values<(typeof COMMANDS)[N]['options']>; positionals: string[] } {
  const spec: CommandSpec = COMMANDS[name];
  const options = Object.fromEntries(
    Object.entries(spec.options).map(([k, o]) => [
      k,
      { type: o.type, multiple: o.multiple ?? false },
    ]),
  );
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(parseProblem(name, (e as Error).message, Object.keys(spec.options)));
  }
  const { min, max } = spec.positionals ?? { min: 0, max: 0 };
  const count = parsed.positionals.length;
  if (count < min || count > max)
    throw new UsageError(
      `${name} takes ${max === 0 ? 'no arguments' : spec.args}; got ${count === 0 ? 'none' : parsed.positionals.map((p) => `'${p}'`).join(' ')}.`,
    );
  return parsed as never;
}

/** Node's parseArgs messages, said in our words (theirs quote unevenly and name no fix). */
function parseProblem(command: string, message: string, known: string[]): string {
  const unknown = /Unknown option '(-{1,2}[^']*)'/.exec(message)?.[1];
  if (unknown) {
    return `${command} has no option ${unknown}. ${didYouMean(
      unknown,
      known.map((k) => `--${k}`),
    )}`;
  }
  const needsValue = /Option '(?:-\w, )?(--[\w-]+) <value>' argument missing/.exec(message)?.[1];
  if (needsValue) return `${needsValue} needs a value.`;
  const noValue = /Option '(--[\w-]+)' does not take an argument/.exec(message)?.[1];
  if (noValue) return `${noValue} is a switch and takes no value.`;
  return message;
}

function optionLines(options: Record<string, OptionSpec>): string[] {
  const left = Object.entries(options).map(
    ([k, o]) => `  --${k}${o.value ? ` ${o.value}` : ''}${o.multiple ? ' ...' : ''}`,
  );
  const width = Math.max(24, ...left.map((l) => l.length + 2));
  return Object.values(options).map((o, i) => `${left[i]!.padEnd(width)}${o.help}`);
}

const FOOTER = `Exit codes: 0 no failing finding, 1 the gate fails, 2 a usage error, or GitHub or an audit thread failed.
Docs: https://github.com/service-gate/service-gate#readme`;

export function commandHelp(name: CommandName): string {
  const spec: CommandSpec = COMMANDS[name];
  const options = optionLines(spec.options);
  return [
    `Usage: service-gate ${name}${spec.args ? ` ${spec.args}` : ''}${options.length ? ' [options]' : ''}`,
    '',
    spec.summary,
    ...(options.length ? ['', 'Options:', ...options] : []),
    ...(spec.notes ? ['', spec.notes] : []),
    '',
    FOOTER,
  ].join('\n');
}

export function overviewHelp(): string {
  const width = Math.max(...COMMAND_NAMES.map((n) => n.length)) + 4;
  return [
    'Usage: service-gate <command> [options]',
    '',
    'Commands:',
    ...COMMAND_NAMES.map((n) => `  ${n.padEnd(width)}${COMMANDS[n].summary}`),
    '',
    "Run 'service-gate <command> --help' for a command's options.",
    '',
    FOOTER,
  ].join('\n');
}
