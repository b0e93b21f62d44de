/**
 * A whole fused step against the composite tfjs step on the cpu backend, from the same initial
 * weights, batch and dropout masks: losses within 1e-5, every parameter's gradient within 1e-4,
 * the weights and the optimizer's moments after each step within 1e-4, the row report's rows (with
 * a lookup-path gradient, with an output-path gradient, moved) identical and its per-row norms
 * within 1e-4. Every row's cause, on a vocabulary in the thousands: rows.browser.ts.
 */
import { nonzeroIndices } from '../../math/arrays';
import { deriveSeed } from '../../math/rng';
import { microConfig, type BertConfig } from '../../model/config';
import { flattenParams, paramInfos } from '../../model/params';
import { createBertTokenizer } from '../../tokenizer';
import { parseCorpus } from '../../train/corpus';
import { computeGradients, disposeGradients } from '../../train/gradients';
import { defaultOptimizerConfig, type OptimizerConfig } from '../../train/optimizers';
import { createPretrainingData, type PretrainingBatch } from '../../train/pretraining-data';
import { createTrainState, disposeState, trainStep, type TrainState } from '../../train/step';
import type { StepReport } from '../../train/stepReport';
import { smallCorpusText, smallVocab } from '../../train/test/fixtures';
import { batchShape } from '../stepBuffers';
import { createFusedTrainer } from '../trainer';
import {
  FORWARD_BOUND,
  GRADIENT_BOUND,
  gpu,
  register,
  result,
  sharePipelines,
  type CaseResult,
} from './harness';

const vocab = smallVocab();
const tokenizer = createBertTokenizer(vocab);
const documents = parseCorpus(smallCorpusText());

const maxPredictions = (seqLength: number) => Math.max(1, Math.round(seqLength * 0.15));

function batches(seed: number, batchSize: number, seqLength: number): () => PretrainingBatch {
  const data = createPretrainingData(
    documents,
    tokenizer,
    { maxSeqLength: seqLength, maxPredictionsPerSeq: maxPredictions(seqLength) },
    seed,
  );
  return () => data.nextBatch(batchSize);
}

function makeState(config: BertConfig, optimizer: OptimizerConfig): TrainState {
  return createTrainState(config, {
    optimizer,
    // A high learning rate so that three steps move the weights visibly.
    schedule: { peakLearningRate: 1e-2, warmupSteps: 0, totalSteps: 100 },
    clipNorm: 1,
    seed: 7,
  });
}

const rowsOf = (a: Float32Array) => JSON.stringify(nonzeroIndices(a));

/** The report's per-row norms, compared by relative L2 (rows.browser.ts does so row by row too). */
const ROW_NORMS = [
  'lookupGradRowNorm',
  'outputGradRowNorm',
  'updateRowNorm',
  'positionGradRowNorm',
  'positionUpdateRowNorm',
  'segmentGradRowNorm',
  'segmentUpdateRowNorm',
] as const;

let sharing = false;

async function compare(
  config: BertConfig,
  optimizer: OptimizerConfig,
  steps: number,
  batchSize: number,
  seqLength: number,
): Promise<CaseResult[]> {
  const ctx = await gpu();
  if (!sharing) sharePipelines(ctx.device);
  sharing = true;
  const composite = makeState(config, optimizer);
  const fusedState = makeState(config, optimizer);
  const shape = batchShape(batchSize, seqLength, maxPredictions(seqLength));
  const trainer = await createFusedTrainer(fusedState, ctx.device, shape);
  const next = batches(3, batchSize, seqLength);
  const out: CaseResult[] = [];
  try {
    for (let s = 1; s <= steps; s++) {
      const batch = next();
      // The composite gradient of this step, with this step's dropout masks, before the update.
      const g = computeGradients(composite.params, config, batch, {
        training: true,
        dropout: { seed: deriveSeed(composite.options.seed, 'dropout'), step: s },
      });
      const want: Record<string, Float32Array> = {};
      const infos = paramInfos(config);
      const leaves = flattenParams(config, g.grads);
      for (const [i, info] of infos.entries()) {
        let t = leaves[i]!;
        if (info.name === 'embeddings.token' && g.tokenOutputGrad !== null) t = t.add(g.tokenOutputGrad);
        want[info.name] = await t.data<'float32'>();
        if (t !== leaves[i]) t.dispose();
      }
      disposeGradients(config, g);

      const a: StepReport = await trainStep(composite, batch);
      const b: StepReport = await trainer.step(batch);
      out.push(result(`step ${s}: MLM loss`, [b.loss.mlm], [a.loss.mlm], FORWARD_BOUND));
      out.push(result(`step ${s}: NSP loss`, [b.loss.nsp], [a.loss.nsp], FORWARD_BOUND));
      out.push(result(`step ${s}: ‖g‖`, [b.gradNorm], [a.gradNorm], GRADIENT_BOUND));
      const got = await trainer.readGradients();
      for (const info of infos) {
        const what = `step ${s}: dL/d ${info.name}`;
        if (/\.key\.bias$/.test(info.name)) {
          // Analytically zero: a key bias adds q·b to every score of a query row, and softmax is
          // invariant to a constant shift, so both paths hold rounding noise only. Both must be
          // that small next to the whole gradient.
          const norm = (x: Float32Array) => Math.hypot(...x);
          const noise = Math.max(norm(got[info.name]!), norm(want[info.name]!)) / a.gradNorm;
          out.push({
            what: `${what} (analytically 0): ‖g‖ relative to the whole gradient`,
            error: noise,
            bound: 1e-5,
          });
          continue;
        }
        out.push(result(what, got[info.name]!, want[info.name]!, GRADIENT_BOUND));
      }
      const same = (what: string, x: string, y: string) =>
        out.push({
          what: `step ${s}: ${what} differ (${x.slice(0, 80)} vs ${y.slice(0, 80)})`,
          error: x === y ? 0 : 1,
          bound: 0,
        });
      // lookupRows is the batch's distinct ids on both paths (the CPU's); the GPU's own lookup rows
      // are those with a nonzero lookup-gradient norm.
      same('lookup-gradient rows', rowsOf(b.lookupGradRowNorm), rowsOf(a.lookupGradRowNorm));
      same('output-gradient rows', rowsOf(b.outputGradRowNorm), rowsOf(a.outputGradRowNorm));
      same('moved rows', rowsOf(b.updateRowNorm), rowsOf(a.updateRowNorm));
      same('MLM predictions', JSON.stringify([...b.mlmPredictions]), JSON.stringify([...a.mlmPredictions]));
      for (const name of ROW_NORMS) out.push(result(`step ${s}: ${name}`, b[name], a[name], GRADIENT_BOUND));
    }
    // The weights and the optimizer's state after the last step.
    await trainer.syncToState();
    const pa = flattenParams(config, composite.params);
    const pb = flattenParams(config, fusedState.params);
    const sa = composite.optimizer.stateVariables(pa);
    const sb = fusedState.optimizer.stateVariables(pb);
    // Key biases are left out of the weight and moment comparison: their gradient is rounding
    // noise on both paths (checked above), and Adam rescales noise to a full-size step (m/√v is
    // about ±1 whatever the gradient's scale), so the two paths' key biases take different steps.
    const noiseOnly = (name: string) => /\.key\.bias$/.test(name);
    for (const [i, info] of paramInfos(config).entries()) {
      if (noiseOnly(info.name)) continue;
      out.push(result(`θ ${info.name}`, await pb[i]!.data(), await pa[i]!.data(), GRADIENT_BOUND));
    }
    const names = composite.optimizer.slotNames;
    for (let i = 0; i < sa.length; i++) {
      const leaf = paramInfos(config)[Math.floor(i / names.length)]!.name;
      if (noiseOnly(leaf)) continue;
      out.push(
        result(
          `${names[i % names.length]} of ${leaf}`,
          await sb[i]!.data(),
          await sa[i]!.data(),
          GRADIENT_BOUND,
        ),
      );
    }
  } finally {
    trainer.dispose();
    disposeState(composite);
    disposeState(fusedState);
  }
  return out;
}

const micro = (overrides: Partial<BertConfig> = {}) => microConfig(vocab.length, overrides);

register({
  adamw: () => compare(micro(), defaultOptimizerConfig('adamw'), 3, 4, 24),
  adam: () => compare(micro(), defaultOptimizerConfig('adam'), 3, 4, 24),
  lazyadam: () => compare(micro(), defaultOptimizerConfig('lazyadam'), 3, 4, 24),
  sgd: () => compare(micro(), defaultOptimizerConfig('sgd'), 2, 4, 24),
  momentum: () => compare(micro(), { kind: 'sgd', momentum: 0.9 }, 3, 4, 24),
  'untied, odd sizes (H=36, A=3, T=13)': () =>
    compare(
      micro({ hidden: 36, heads: 3, intermediate: 50, tieOutputEmbeddings: false }),
      defaultOptimizerConfig('adamw'),
      2,
      3,
      13,
    ),
  'no dropout': () =>
    compare(micro({ hiddenDropout: 0, attentionDropout: 0 }), defaultOptimizerConfig('adam'), 2, 4, 24),
});
