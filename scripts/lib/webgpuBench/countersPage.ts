/**
 * Loaded by a classic <script> ahead of the bench's module (see bundle.ts), so the WebGPU
 * prototypes are wrapped before tfjs or anything else in the page touches a GPU object.
 */
import { counterTargets, installCounters } from './counters';

const { counts } = installCounters(counterTargets(globalThis as unknown as Record<string, unknown>));
(globalThis as unknown as { gpuCounts: typeof counts }).gpuCounts = counts;
