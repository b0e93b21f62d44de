/** The tiny BERT in tfjs: config, parameters, the forward pass and its trace. */
export * from './config';
export * from './params';
export * from './variables';
export { forward, type BertInput, type BertOutputs, type DropoutKey, type ForwardOptions } from './bert';
export { gatherRows, lookupIndex, type LookupIndex } from './lookup';
export { readTrace, disposeTrace, type ForwardTrace, type TraceArrays } from './trace';
export {
  embeddingSum,
  initialEmbeddingTables,
  type EmbeddingSumArrays,
  type EmbeddingTables,
} from './embeddingSum';
