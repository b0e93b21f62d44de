/**
 * Fault injection for the end-to-end tests of the engine's recovery paths exists only in a
 * test-hooks build (`vite build --mode test-hooks`, which the Playwright config makes for the specs
 * that need it). Everywhere else TEST_HOOKS is the constant false: the minifier drops every branch
 * that uses it, and the production bundle carries neither the hooks nor their names.
 */
import type { FaultCommand } from './trainProtocol';

/** Vite replaces import.meta.env.MODE with a string literal at build time, so this folds to a constant. */
export const TEST_HOOKS: boolean = import.meta.env.MODE === 'test-hooks';

const FAULTS: ReadonlySet<string> = new Set<FaultCommand['type']>([
  'loseDevice',
  'corruptWeights',
  'failFusedStep',
  'capFusedLimits',
]);

export const isFaultCommand = (message: { readonly type: string }): message is FaultCommand =>
  FAULTS.has(message.type);
