/**
 * The bounds Service Gate puts on work a repository's content can cause, in one place so the
 * README, the readers and the tests agree. Each is far above what a real service needs.
 */

/** Policy files (`.github/service-gate.yml`, `--config`, `--central`): read up to this. */
export const POLICY_FILE_BYTES = 256 * 1024;

/** A rule pack file named by `packs.paths`. */
export const PACK_FILE_BYTES = 1024 * 1024;

/** `init` reads only the package name from package.json. */
export const PACKAGE_JSON_BYTES = 1024 * 1024;

/** All evidence files of one repository together; files past it are skipped, with a notice. */
export const EVIDENCE_BUDGET_BYTES = 32 * 1024 * 1024;

/** One evaluation (all rules over one repository); past it, evaluation stops and fails closed. */
export const EVALUATION_TIME_BUDGET_MS = 3_000;

/** Findings one rule may report; the rest are counted in a last "and N more" finding. */
export const FINDINGS_PER_RULE = 50;

/** GitHub never sends a webhook body over 25 MB; larger ones are refused before buffering. */
export const WEBHOOK_BODY_BYTES = 25 * 1024 * 1024;

/** `/service-gate recheck` runs at most once per pull request in this interval. */
export const RECHECK_INTERVAL_MS = 60_000;
