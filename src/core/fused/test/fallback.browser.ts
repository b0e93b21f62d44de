/**
 * How the fused step fails, on the real WebGPU device: a step whose submission WebGPU rejects
 * (a real validation error, `breakNextStep`) rejects with FusedStepError('validation'), counts
 * nothing and leaves the buffers at the last good step, so retrying its batch gives the numbers of
 * a run that never failed; buffers over the device's limits are refused before any is made.
 */
import { microConfig } from '../../model/config';
import { createBertTokenizer } from '../../tokenizer';
import { parseCorpus } from '../../train/corpus';
import { defaultOptimizerConfig } from '../../train/optimizers';
import { createPretrainingData, type PretrainingBatch } from '../../train/pretraining-data';
import { createTrainState, disposeState, type TrainState } from '../../train/step';
import { smallCorpusText, smallVocab } from '../../train/test/fixtures';
import { bertTinyConfig } from '../../model/config';
import { fusedBufferPlan } from '../bufferPlan';
import { FusedStepError } from '../errors';
import { flatLayout } from '../layout';
import { batchShape } from '../stepBuffers';
import { createFusedTrainer } from '../trainer';
import { countBuffers, gpu, register, result, type CaseResult } from './harness';

const vocab = smallVocab();
const tokenizer = createBertTokenizer(vocab);
const documents = parseCorpus(smallCorpusText());
const config = microConfig(vocab.length);
const B = 2;
const T = 16;
const maxPredictions = Math.round(0.15 * T);
const shape = batchShape(B, T, maxPredictions);

function batchStream(): () => PretrainingBatch {
  const data = createPretrainingData(
    documents,
    tokenizer,
    { maxSeqLength: T, maxPredictionsPerSeq: maxPredictions },
    5,
  );
  return () => data.nextBatch(B);
}

const makeState = (): TrainState =>
  createTrainState(config, {
    optimizer: defaultOptimizerConfig('adamw'),
    schedule: { peakLearningRate: 1e-2, warmupSteps: 0, totalSteps: 100 },
    clipNorm: 1,
    seed: 11,
  });

const fact = (what: string, ok: boolean): CaseResult => ({ what, error: ok ? 0 : 1, bound: 0 });

async function rejection(work: Promise<unknown>): Promise<FusedStepError | null> {
  try {
    await work;
    return null;
  } catch (error) {
    if (error instanceof FusedStepError) return error;
    throw error;
  }
}

register({
  async 'a step WebGPU refuses rejects, counts nothing, and its retry equals a run that never failed'() {
    const { device } = await gpu();
    const failing = makeState();
    const reference = makeState();
    const a = await createFusedTrainer(failing, device, shape);
    const b = await createFusedTrainer(reference, device, shape);
    const nextA = batchStream();
    const nextB = batchStream();
    const out: CaseResult[] = [];
    const buffers = countBuffers(device);
    try {
      for (let s = 1; s <= 2; s++) {
        await a.step(nextA());
        await b.step(nextB());
      }
      const live = buffers.live();
      const batch = nextA();
      a.breakNextStep();
      const error = await rejection(a.step(batch));
      out.push(
        fact(`the step rejects with FusedStepError (${error?.kind}: ${error?.message})`, error !== null),
      );
      out.push(fact(`its kind is 'validation' (${error?.kind})`, error?.kind === 'validation'));
      out.push(fact(`the step counter stayed at 2 (${failing.step})`, failing.step === 2));
      out.push(
        fact(
          `the update counter stayed at 2 (${failing.optimizer.updates})`,
          failing.optimizer.updates === 2,
        ),
      );
      out.push(fact(`no buffer leaked (${buffers.live() - live})`, buffers.live() === live));
      // The buffers still hold step 2: the same batch now gives exactly the reference's step 3.
      for (let s = 3; s <= 4; s++) {
        const got = await a.step(s === 3 ? batch : nextA());
        const want = await b.step(nextB());
        out.push(result(`step ${s}: loss after the refused step`, [got.loss.total], [want.loss.total], 0));
        out.push(fact(`step ${s} is numbered ${s} (${got.step})`, got.step === s));
      }
      await a.syncToState();
      await b.syncToState();
      const [wa, wb] = [failing, reference].map((st) => st.params.embeddings.token.dataSync());
      out.push(result('E_token after 4 steps', wa!, wb!, 0));
      return out;
    } finally {
      buffers.restore();
      a.dispose();
      b.dispose();
      disposeState(failing);
      disposeState(reference);
    }
  },

  async 'buffers over a limit are refused before any is made'() {
    const { device } = await gpu();
    const state = makeState();
    const buffers = countBuffers(device);
    try {
      const error = await rejection(
        createFusedTrainer(state, device, shape, { limits: { maxStorageBufferBindingSize: 4096 } }),
      );
      return [
        fact(
          `createFusedTrainer rejects with kind 'limits' (${error?.kind}: ${error?.message})`,
          error?.kind === 'limits',
        ),
        fact(
          'the message names the limit',
          error?.message.includes('maxStorageBufferBindingSize of 0.0 MB (4096 bytes)') ?? false,
        ),
        fact('the weights are kept', error?.weightsKept === true),
        fact(`no buffer was created (${buffers.created()})`, buffers.created() === 0),
      ];
    } finally {
      buffers.restore();
      disposeState(state);
    }
  },

  async "bert-tiny at 64 × 512 fits this adapter's limits now; its old N·V logits did not"() {
    const { device } = await gpu();
    const tiny = bertTinyConfig();
    const plan = fusedBufferPlan(tiny, flatLayout(tiny), 2, batchShape(64, 512, 77));
    const largest = Math.max(...plan.map((b) => b.bytes));
    const limit = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
    const oldLogits = 64 * 512 * tiny.vocabSize * 4;
    return [
      fact(`largest buffer ${largest} B ≤ the adapter's ${limit} B`, largest <= limit),
      fact(`the old [N, V] logits, ${oldLogits} B, > ${limit} B`, oldLogits > limit),
    ];
  },
});
