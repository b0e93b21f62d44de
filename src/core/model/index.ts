/** The tiny BERT in tfjs: config, parameters, the forward pass and its trace. */
export * from './config';
export * from './params';
export * from './variables';
export { forward } from './bert';
export { readTrace, disposeTrace, type TraceArrays } from './trace';
export type { EmbeddingTables } from './embeddingSum';
