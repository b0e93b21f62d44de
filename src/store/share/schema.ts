/**
 * The shareable state as one table, in the manner of tensorflow/playground's `state.ts`: one row
 * per parameter with its URL key, its kind and bounds, its default, how it is read from the store
 * and where it goes when a link is opened. The URL codec, the postMessage validator and the
 * README's parameter table all come from this table.
 */
import {
  DEFAULT_ENGINE_SETTINGS,
  OPTIMIZER_CHOICES,
  PRESET_NAMES,
  SETTING_LIMITS,
  type OptimizerChoice,
  type PresetName,
} from '../../core/domain/settings';
import type { LabState, LabStore, LabView } from '../types';
import { DEFAULT_MAX_LENGTH, DEFAULT_SENTENCE_A, DEFAULT_SENTENCE_B } from '../packSlice';
import { flag, numberIn, oneOf, optionalNumberIn, pieceList, text, type Spec } from './specs';
import { FIRST_CHAPTER } from '../lessonSlice';
import { DEFAULT_NEIGHBOURS, DEFAULT_PICKS, MAX_NEIGHBOURS, MAX_PICKS } from '../learnedSlice';

/** The longest piece a link may name: bert-base-uncased's longest is 18 characters. */
const MAX_PIECE_CHARS = 100;

export interface ShareState {
  view: LabView;
  sentenceA: string;
  sentenceB: string;
  maxLength: number;
  vocab: 'bert-base-uncased' | 'learned';
  preset: PresetName;
  seed: number;
  optimizer: OptimizerChoice;
  learningRate: number;
  tieOutputEmbeddings: boolean;
  batchSize: number;
  seqLength: number;
  step: number;
  position: number | null;
  chapter: string;
  picks: readonly string[];
  focus: string;
  k: number;
  centred: boolean;
}

const LAB_VIEWS = [
  'pack',
  'vocab',
  'train',
  'sum',
  'learned',
  'lesson',
] as const satisfies readonly LabView[];

/** The Tokenize & Pack view tokenizes up to this many characters per sentence (MAX_INPUT_CHARS). */
export const MAX_SENTENCE_CHARS = 100_000;
/** A chapter id is a few words joined by hyphens; anything longer is not one. */
const MAX_CHAPTER_CHARS = 40;
/** BERT's position table has 512 rows: no packed input, max length or position goes past it. */
const MAX_POSITIONS = SETTING_LIMITS.seqLength.max;
/**
 * The most steps a link trains to on opening: about 40 s for micro on wasm (20 ms a step), a few
 * minutes for lab and more for bert-tiny (400 ms a step), with progress and a Stop button. A link is a recipe
 * for a moment of training, not a way to run a long job.
 */
export const MAX_LINK_STEPS = 2_000;

/** What the vocabulary parameter puts in the store; `notice` explains a choice that cannot be honoured. */
type Write<T> = (store: LabStore, value: T, notice: (message: string) => void) => void;

interface FieldBase<K extends keyof ShareState> {
  readonly key: string;
  readonly spec: Spec<ShareState[K]>;
  /** One line for the README. */
  readonly doc: string;
  read(state: LabState): ShareState[K];
}

/**
 * View fields are what the learner looks at; they go straight into the store. Training fields are
 * the recipe of the model: opening a link with any of them restarts the engine with that recipe and
 * trains to `step`.
 */
export type Field<K extends keyof ShareState> = FieldBase<K> &
  (
    | { readonly group: 'view'; readonly write: Write<ShareState[K]> }
    | { readonly group: 'training'; readonly setting: keyof typeof DEFAULT_ENGINE_SETTINGS | null }
  );

export type Schema = { readonly [K in keyof ShareState]: Field<K> };

/** The max-length box holds raw text; a half-typed or invalid value shares as the default. */
function maxLengthOf(input: string): number {
  const value = Number(input.trim());
  return Number.isInteger(value) && value >= 2 && value <= MAX_POSITIONS ? value : DEFAULT_MAX_LENGTH;
}

const settings = (s: LabState) => s.training.settings;
/** A training setting's spec, with the bounds the engine checks (core/domain/settings.ts). */
const limited = (key: keyof typeof SETTING_LIMITS, fallback: number) => {
  const { min, max, integer } = SETTING_LIMITS[key];
  return numberIn(min, max, fallback, { integer });
};
const D = DEFAULT_ENGINE_SETTINGS;

export const SCHEMA: Schema = {
  view: {
    key: 'view',
    spec: oneOf(LAB_VIEWS, 'pack'),
    doc: 'the view on show',
    group: 'view',
    read: (s) => s.view,
    write: (store, view) => store.getState().setView(view),
  },
  sentenceA: {
    key: 'a',
    spec: text(MAX_SENTENCE_CHARS, DEFAULT_SENTENCE_A),
    doc: 'sentence A',
    group: 'view',
    read: (s) => s.sentenceA,
    write: (store, a) => store.getState().setSentenceA(a),
  },
  sentenceB: {
    key: 'b',
    spec: text(MAX_SENTENCE_CHARS, DEFAULT_SENTENCE_B),
    doc: 'sentence B (empty: no sentence B)',
    group: 'view',
    read: (s) => s.sentenceB,
    write: (store, b) => store.getState().setSentenceB(b),
  },
  maxLength: {
    key: 'max',
    spec: numberIn(2, MAX_POSITIONS, DEFAULT_MAX_LENGTH, { integer: true }),
    doc: 'max length of the packed input',
    group: 'view',
    read: (s) => maxLengthOf(s.maxLengthInput),
    write: (store, max) => store.getState().setMaxLengthInput(String(max)),
  },
  vocab: {
    key: 'vocab',
    spec: oneOf(['bert-base-uncased', 'learned'], 'bert-base-uncased'),
    doc: 'the Tokenize & Pack vocabulary (`learned` needs one trained in the page that opens the link)',
    group: 'view',
    read: (s) => (s.packVocab === 'learned' && s.learnedVocab ? 'learned' : 'bert-base-uncased'),
    write: (store, vocab, notice) => {
      const state = store.getState();
      if (vocab === 'learned' && !state.learnedVocab) {
        notice(
          'This link used a vocabulary trained in its page. A trained vocabulary cannot travel in a link, so ' +
            'Tokenize & Pack uses bert-base-uncased; train and adopt one in the Vocabulary view to compare.',
        );
        state.setPackVocab('bert');
        return;
      }
      state.setPackVocab(vocab === 'learned' ? 'learned' : 'bert');
    },
  },
  preset: {
    key: 'preset',
    spec: oneOf(PRESET_NAMES, D.preset),
    doc: "the model preset (`lab` is bert-base-uncased's vocabulary on a small body); a recipe without it means `micro`",
    group: 'training',
    setting: 'preset',
    read: (s) => settings(s).preset,
  },
  seed: {
    key: 'seed',
    spec: limited('seed', D.seed),
    doc: 'the seed of the initial weights, batches, masks and dropout',
    group: 'training',
    setting: 'seed',
    read: (s) => settings(s).seed,
  },
  optimizer: {
    key: 'opt',
    spec: oneOf(OPTIMIZER_CHOICES, D.optimizer),
    doc: "the optimizer (`adamw` is BERT's, `momentum` is SGD with momentum 0.9); a recipe without it means `adam`",
    group: 'training',
    setting: 'optimizer',
    read: (s) => settings(s).optimizer,
  },
  learningRate: {
    key: 'lr',
    spec: limited('learningRate', D.learningRate),
    doc: 'the peak learning rate',
    group: 'training',
    setting: 'learningRate',
    read: (s) => settings(s).learningRate,
  },
  tieOutputEmbeddings: {
    key: 'tie',
    spec: flag(D.tieOutputEmbeddings),
    doc: 'whether the output layer is tied to E_token',
    group: 'training',
    setting: 'tieOutputEmbeddings',
    read: (s) => settings(s).tieOutputEmbeddings,
  },
  batchSize: {
    key: 'batch',
    spec: limited('batchSize', D.batchSize),
    doc: 'sequences per batch',
    group: 'training',
    setting: 'batchSize',
    read: (s) => settings(s).batchSize,
  },
  seqLength: {
    key: 'seq',
    spec: limited('seqLength', D.seqLength),
    doc: 'tokens per training sequence (the position table stops at 64 for micro, 128 for lab)',
    group: 'training',
    setting: 'seqLength',
    read: (s) => settings(s).seqLength,
  },
  step: {
    key: 'step',
    spec: numberIn(0, MAX_LINK_STEPS, 0, { integer: true }),
    doc: `the step to train to from the seed, at most ${MAX_LINK_STEPS.toLocaleString('en-US')}`,
    group: 'training',
    setting: null,
    read: (s) => s.training.snapshot?.step ?? 0,
  },
  position: {
    key: 'pos',
    // Position 0, [CLS], is selected on a fresh page.
    spec: optionalNumberIn(0, MAX_POSITIONS - 1, 0),
    doc: 'the position selected in the Embedding sum view',
    group: 'view',
    read: (s) => s.sumPosition,
    // The trace is clamped to its length when it arrives, so a position past the pair is harmless.
    write: (store, position) => position !== null && store.setState({ sumPosition: position }),
  },
  chapter: {
    key: 'chapter',
    // Any short text: the Lesson view itself says when a chapter does not exist, with the list.
    spec: text(MAX_CHAPTER_CHARS, FIRST_CHAPTER),
    doc: 'the Lesson chapter on show (`wordpiece` … `vocab-size`, listed under The Lesson)',
    group: 'view',
    read: (s) => s.lesson.chapter,
    write: (store, chapter) => store.getState().setLessonChapter(chapter),
  },
  picks: {
    key: 'picks',
    spec: pieceList(MAX_PICKS, MAX_PIECE_CHARS, DEFAULT_PICKS),
    doc: 'the word pieces picked in the Learned rows view, oldest first',
    group: 'view',
    read: (s) => s.learnedPicks,
    // Each goes through pickPiece, which refuses a piece the loaded vocabulary lacks, with its reason.
    write: (store, picks, notice) => {
      store.setState({ learnedPicks: [], learnedFocus: null });
      for (const piece of picks) {
        const why = store.getState().pickPiece(piece);
        if (why !== null) notice(why);
      }
    },
  },
  focus: {
    key: 'focus',
    spec: text(MAX_PIECE_CHARS, DEFAULT_PICKS[0]!),
    doc: 'the pick whose nearest rows the Learned rows view lists',
    group: 'view',
    read: (s) => s.learnedFocus ?? '',
    write: (store, focus, notice) => {
      const state = store.getState();
      if (focus === '' || state.learnedFocus === focus) return;
      if (state.learnedPicks.includes(focus)) return store.setState({ learnedFocus: focus });
      const why = state.pickPiece(focus);
      if (why !== null) notice(why);
    },
  },
  k: {
    key: 'k',
    spec: numberIn(1, MAX_NEIGHBOURS, DEFAULT_NEIGHBOURS, { integer: true }),
    doc: 'how many nearest rows the Learned rows view lists',
    group: 'view',
    read: (s) => s.learnedK,
    write: (store, k) => store.getState().setLearnedK(k),
  },
  centred: {
    key: 'centred',
    spec: flag(true),
    doc: 'centred cosine (the mean row taken out) or raw, in the Learned rows view',
    group: 'view',
    read: (s) => s.learnedCentred,
    write: (store, centred) => store.getState().setLearnedCentred(centred),
  },
};

const SHARE_FIELDS = Object.keys(SCHEMA) as (keyof ShareState)[];

/**
 * A whole ShareState built field by field, in the order of the table. The one place that turns
 * the per-field values back into the record type: TypeScript cannot follow a loop over keys.
 */
export function shareStateFrom(
  value: <K extends keyof ShareState>(name: K, field: Field<K>) => ShareState[K],
): ShareState {
  const out: Partial<Record<keyof ShareState, unknown>> = {};
  for (const name of SHARE_FIELDS) out[name] = value(name, SCHEMA[name] as Field<typeof name>);
  return out as ShareState;
}

/** Fields in the order of the table, with their rows, typed loosely for generic loops. */
export function fieldsOf(group?: 'view' | 'training'): [keyof ShareState, Field<keyof ShareState>][] {
  const rows = SHARE_FIELDS.map((name): [keyof ShareState, Field<keyof ShareState>] => [
    name,
    SCHEMA[name] as Field<keyof ShareState>,
  ]);
  return rows.filter(([, field]) => group === undefined || field.group === group);
}

export const DEFAULT_SHARE_STATE = shareStateFrom((_, field) => field.spec.default);

/** The README's parameter table, one row per field: key, meaning, values, default. */
export function shareParameterRows(): [string, string, string, string][] {
  return fieldsOf().map(([, field]) => {
    const fallback = field.spec.default;
    const shown =
      typeof fallback === 'string' && fallback.length > 20
        ? 'the example sentence'
        : `\`${field.spec.format(fallback)}\``;
    return [`\`${field.key}\``, field.doc, field.spec.describe, shown];
  });
}
