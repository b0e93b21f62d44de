/**
 * Where each parameter lives in the fused path's flat buffers. Parameters, gradients and the
 * optimizer's m and v share this one layout, so one dispatch can update them all: element i of
 * the gradient buffer is the gradient of element i of the parameter buffer.
 *
 * Leaves follow `paramInfos` order, each starting at a multiple of 64 elements (256 bytes, so a
 * leaf never shares a 16-element vector with its neighbour), except the three embedding tables:
 * E_token, E_segment and E_position are packed back to back as one [(V + S + P), H] block, so a
 * single row-norm dispatch reports ‖row‖ for every embedding row at once.
 */
import type { BertConfig } from '../model/config';
import { paramInfos, unflattenParams, type BertParams, type ParamInfo } from '../model/params';
import { view, type View } from './gpu';

export interface LeafPlace extends ParamInfo {
  /** First element of the leaf in the flat buffers. */
  readonly offset: number;
  /** Elements in the leaf. */
  readonly length: number;
}

export interface FlatLayout {
  readonly leaves: readonly LeafPlace[];
  /** Elements in each flat buffer (gaps included). */
  readonly length: number;
  /** The embedding block: E_token's rows 0..V−1, then E_segment's S, then E_position's P rows. */
  readonly embeddingBlock: { readonly offset: number; readonly rows: number };
  byName(name: string): LeafPlace;
  /** Where layer l's query, key and value kernels (and biases) start, and the stride between them. */
  readonly qkvStride: number;
}

const ALIGN = 64;
const roundUp = (n: number, m: number) => Math.ceil(n / m) * m;

export function flatLayout(config: BertConfig): FlatLayout {
  const infos = paramInfos(config);
  const leaves: LeafPlace[] = [];
  let at = 0;
  for (const info of infos) {
    const length = info.shape.reduce((n, d) => n * d, 1);
    // The segment and position tables follow E_token without a gap (see the header).
    const packed = info.name === 'embeddings.segment' || info.name === 'embeddings.position';
    const offset = packed ? at : roundUp(at, ALIGN);
    leaves.push({ ...info, offset, length });
    at = offset + length;
  }
  const byNameMap = new Map(leaves.map((l) => [l.name, l]));
  const byName = (name: string): LeafPlace => {
    const leaf = byNameMap.get(name);
    if (leaf === undefined) throw new Error(`No parameter named ${name}.`);
    return leaf;
  };
  const token = byName('embeddings.token');
  // Query, key and value of one layer, each kernel then bias, are laid out at one stride.
  const q = byName('layers.0.query.kernel');
  const k = byName('layers.0.key.kernel');
  const qkvStride = k.offset - q.offset;
  for (let l = 0; l < config.layers; l++) {
    const names = ['query', 'key', 'value'].map((p) => byName(`layers.${l}.${p}.kernel`).offset);
    const biases = ['query', 'key', 'value'].map((p) => byName(`layers.${l}.${p}.bias`).offset);
    if (names[1]! - names[0]! !== qkvStride || names[2]! - names[1]! !== qkvStride) {
      throw new Error('Query, key and value kernels are not evenly spaced.');
    }
    if (biases[1]! - biases[0]! !== qkvStride || biases[2]! - biases[1]! !== qkvStride) {
      throw new Error('Query, key and value biases are not evenly spaced.');
    }
  }
  return {
    leaves,
    length: roundUp(at, ALIGN),
    embeddingBlock: {
      offset: token.offset,
      rows: config.vocabSize + config.typeVocabSize + config.maxPositions,
    },
    byName,
    qkvStride,
  };
}

/**
 * Every parameter's View into `buffer` (the flat parameters, or the gradients, which share their
 * layout), in the model's own typed structure: `P.layers[l].query.kernel`, `G.mlm.norm.gamma`.
 */
export function paramViews(config: BertConfig, layout: FlatLayout, buffer: GPUBuffer): BertParams<View> {
  return unflattenParams(
    config,
    layout.leaves.map((leaf) => view(buffer, leaf.offset)),
  );
}
