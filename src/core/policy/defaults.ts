import { DEFAULTS, type FullSettings } from './model.js';

/** Defaults other modules need by name; every default comes from the model (model.ts). */
export type EffectiveThresholds = FullSettings['thresholds'];
export const DEFAULT_CHECK_NAME = DEFAULTS.check_name;
