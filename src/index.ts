/**
 * The package's public entry (`import { prepare } from 'service-gate'`): the judge every shell
 * uses, the service.yml schema, and the report it returns. Everything else under lib/ is
 * internal and may change between versions.
 */
export {
  gather,
  type BaseSource,
  type GatheredInputs,
  type Judge,
  type JudgeInputs,
  type JudgeOptions,
  NO_POLICY,
  type PolicyChain,
  prepare,
  type RepositoryFacts,
  type RepositoryToRead,
} from './run/judge.js';
export { LocalScm } from './scm/local.js';
export { MemoryScm } from './scm/memory.js';
export type { FileRead, Scm } from './scm/scm.js';
export { MANIFEST_FILE, type ManifestResult, parseManifest } from './core/manifest/load.js';
export { type Manifest, manifestSchema } from './core/manifest/schema.js';
export { manifestJsonSchema } from './core/manifest/json-schema.js';
export { policySchema, type Policy } from './core/policy/schema.js';
export type { Diagnostic } from './core/diagnostics.js';
export { LEVELS, type Level } from './core/levels.js';
export {
  type ApprovalRequirement,
  type Conclusion,
  countByLevel,
  type Finding,
  type JsonFinding,
  type JsonReport,
  type PointSummary,
  type Report,
  toJsonReport,
} from './core/report.js';
export {
  REPORT_FORMATS,
  renderReport,
  type RenderOptions,
  type ReportFormat,
} from './core/render/renderers.js';
export { VERSION } from './version.js';
