/**
 * E_token's centred change ‖Δrow − mean_r Δrow‖ (the step report's centredUpdateRowNorm): the
 * fused WebGPU step's column-sum and centred row-norm passes against the composite tfjs step on
 * cpu, from the same weights and batch, and each against its definition from the fused path's own
 * weights before and after the step. Cases where the shared part is large (tied Adam), small
 * (untied SGD, most rows still) and on a table of thousands of rows most of which no batch reads.
 */
import { microConfig, type BertConfig } from '../../model/config';
import { createBertTokenizer } from '../../tokenizer';
import { parseCorpus } from '../../train/corpus';
import { columnMeans, rowNormsAbout } from '../../train/drift';
import { defaultOptimizerConfig, type OptimizerConfig } from '../../train/optimizers';
import { createPretrainingData } from '../../train/pretraining-data';
import { createTrainState, disposeState, trainStep, type TrainState } from '../../train/step';
import { smallCorpusText, smallVocab } from '../../train/test/fixtures';
import { batchShape } from '../stepBuffers';
import { createFusedTrainer, type FusedTrainer } from '../trainer';
import { GRADIENT_BOUND, gpu, register, result, type CaseResult } from './harness';

const vocab = smallVocab();
const tokenizer = createBertTokenizer(vocab);
const documents = parseCorpus(smallCorpusText());
const [B, T, M] = [4, 24, 4];

function makeState(config: BertConfig, optimizer: OptimizerConfig): TrainState {
  return createTrainState(config, {
    optimizer,
    schedule: { peakLearningRate: 1e-2, warmupSteps: 0, totalSteps: 100 },
    clipNorm: 1,
    seed: 11,
  });
}

/** The fused path's E_token as it is now (written back to the state's variables first). */
async function fusedToken(trainer: FusedTrainer, state: TrainState): Promise<Float32Array> {
  await trainer.syncToState();
  return Float32Array.from(await state.params.embeddings.token.data<'float32'>());
}

async function compare(config: BertConfig, optimizer: OptimizerConfig, steps: number): Promise<CaseResult[]> {
  const ctx = await gpu();
  const composite = makeState(config, optimizer);
  const fusedState = makeState(config, optimizer);
  const trainer = await createFusedTrainer(fusedState, ctx.device, batchShape(B, T, M));
  const data = createPretrainingData(documents, tokenizer, { maxSeqLength: T, maxPredictionsPerSeq: M }, 2);
  const { vocabSize: V, hidden: H } = config;
  const out: CaseResult[] = [];
  try {
    for (let s = 1; s <= steps; s++) {
      const batch = data.nextBatch(B);
      const before = await fusedToken(trainer, fusedState);
      const a = await trainStep(composite, batch);
      const b = await trainer.step(batch);
      const after = await fusedToken(trainer, fusedState);
      const delta = after.map((x, i) => x - before[i]!);
      const byDefinition = rowNormsAbout(delta, V, H, columnMeans(delta, V, H));
      out.push(
        result(
          `step ${s}: fused ‖Δrow − mean Δ‖ vs composite`,
          b.centredUpdateRowNorm!,
          a.centredUpdateRowNorm!,
          GRADIENT_BOUND,
        ),
        result(
          `step ${s}: fused ‖Δrow − mean Δ‖ vs its own weights`,
          b.centredUpdateRowNorm!,
          byDefinition,
          GRADIENT_BOUND,
        ),
        result(`step ${s}: fused ‖Δrow‖ vs composite`, b.updateRowNorm, a.updateRowNorm, GRADIENT_BOUND),
        {
          what: `step ${s}: both reports have one centred norm per row (${b.centredUpdateRowNorm?.length}, ${a.centredUpdateRowNorm?.length})`,
          error: b.centredUpdateRowNorm?.length === V && a.centredUpdateRowNorm?.length === V ? 0 : 1,
          bound: 0,
        },
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
  'tied AdamW': () => compare(micro(), defaultOptimizerConfig('adamw'), 2),
  'untied SGD': () => compare(micro({ tieOutputEmbeddings: false }), defaultOptimizerConfig('sgd'), 2),
  'tied Adam, 3,000 rows': () => compare(microConfig(3000, {}), defaultOptimizerConfig('adam'), 2),
});
