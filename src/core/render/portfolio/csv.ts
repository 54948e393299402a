import { escapeCsvCell } from '../escape.js';
import { type AuditResults, statusOf } from '../../audit/portfolio.js';
import { sharedPlatformOf } from '../../domain/catalogue.js';

const HEADER = [
  'repository',
  'organisation',
  'team',
  'status',
  'service',
  'phase',
  'conclusion',
  'failures',
  'warnings',
  'design_system',
  'design_system_version',
  'identity',
  'payments',
  'notifications',
  'forms',
  'verdict',
];

/** One row per repository, RFC 4180 quoting, for spreadsheets. */
export function renderPortfolioCsv(results: AuditResults): string {
  const rows = results.repositories.map((r) => {
    const m = r.manifest;
    const findings = r.report?.findings.filter((f) => !f.waived) ?? [];
    const platform = (c: 'identity' | 'payments' | 'notifications' | 'forms') => {
      const v = m?.platforms?.[c];
      return v === undefined ? '' : v === 'none' ? 'none' : (sharedPlatformOf(v) ?? 'own');
    };
    const ds = r.report?.evidence.design_system[0];
    return [
      r.repository,
      r.organisation || m?.owner?.organisation || '',
      m?.owner?.team ?? '',
      r.status,
      m?.name ?? '',
      m?.phase ?? '',
      r.report?.conclusion ?? '',
      findings.filter((f) => f.level === 'failure').length,
      findings.filter((f) => f.level === 'warning').length,
      m?.design_system?.name ?? ds?.id ?? '',
      ds?.version ?? '',
      platform('identity'),
      platform('payments'),
      platform('notifications'),
      platform('forms'),
      r.status === 'evaluated' && r.report ? statusOf(r.report.conclusion) : '',
    ];
  });
  return (
    [HEADER, ...rows].map((row) => row.map((v) => escapeCsvCell(v)).join(',')).join('\r\n') + '\r\n'
  );
}
