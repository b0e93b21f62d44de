/**
 * The parts of src/core/train that the page needs, none of which imports TensorFlow.js: the
 * row-cause bookkeeping, the learning-rate schedule, the prediction/drift reductions, and the
 * types of what the engine reports. The page must import these from here, never from the
 * `./index` barrel: that barrel re-exports step.ts, optimizers.ts, gradients.ts and loss.ts, which
 * import tfjs, and tfjs registers its kernels as a side effect, so a bundler cannot drop it. Only
 * the Worker loads tfjs (ESLint's no-restricted-imports and the build guard in
 * scripts/vite-plugin-tfjs-in-worker.ts enforce it).
 */
export * from './rowCauses';
export * from './schedule';
export * from './compare';
export type { StepReport } from './stepReport';
