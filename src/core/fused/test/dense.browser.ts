/**
 * The dense kernels (matmul, columnSum, layerNorm) against the composite tfjs ops on the cpu
 * backend. Run by e2e/fused-dense.spec.ts, one Playwright test per case.
 */
import { register } from './harness';
import { matmulCases } from './matmulCases';
import { normCases } from './normCases';

register({ ...matmulCases, ...normCases });
