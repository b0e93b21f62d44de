/**
 * The Lesson's chapters: "How are BERT's token embeddings created?" in eight live experiments.
 *
 * How the UI uses this module:
 *   1. List LESSON_CHAPTERS in order; a chapter's `id` is the public contract (?chapter=ID,
 *      data-chapter). Show `title`, `lead`, then `question.prompt` with `question.choices` as radio
 *      buttons (keep the learner's pick: it is compared with `question.correct` after the run).
 *   2. Run the chapter's `plan`. An engine run: start a fresh engine session (its own Worker, never
 *      the Training view's) with `run.settings` (complete EngineSettings: the lab's defaults, seed
 *      42, with the chapter's patch), take `run.steps` steps and keep every StepReport; `run.watch`
 *      names what else to read. Per plan kind:
 *      - 'engine': every run of `plan.runs`, in order; `steps: 0` reads the untrained model only.
 *      - 'wordpiece': no engine; wordpieceLesson(corpus, bertVocab, plan) trains the lab's
 *        WordPiece on the built-in corpus (about 0.1 s of CPU here; a Worker or the page).
 *      - 'vocab-size': the engine run in `plan.runs` (RowStats.frequency over its steps), and
 *        compareVocabularies(corpus, plan) (about 0.25 s of CPU) and lookupsByFrequency(…).
 *   3. Hand the run's data to the chapter's result function, which returns the sentences to show
 *      (each states the run's own numbers and is true for the settings used), the choice the run
 *      bears out (`answer`, equal to `question.correct` when the claim holds) and a `claim` object
 *      that tests compare with the engine's report:
 *        wordpiece        wordpieceLesson(corpusText, bertVocab, plan)
 *        random-start     randomStartResult({ tables (step 0), pair: encodePair(a, b), words, initStd, layerNormEps })
 *        joint-training   jointTrainingResult({ tokens, snapshots: rowSnapshot(tables(), ids) per step from 0, reports })
 *        only-batch-rows  onlyBatchRowsResult(report, run.settings)
 *        tied-output      tiedOutputResult(report, run.settings)
 *        adam             adamResult(adamRunsFrom({ [run.id]: reports }))
 *        vocab-size       vocabSizeResult(compareVocabularies(corpus, plan),
 *                           lookupsByFrequency(corpus, vocab, rowStats.frequency, rowStats.steps))
 *      scripts/lesson-lab.ts wires every chapter this way on the real engine session in Node.
 *   4. Show `question.why` under the result: the mechanism, in words that hold for the plan's settings.
 */
import { DEFAULT_ENGINE_SETTINGS, type EngineSettings } from '../domain/settings';
import type { LessonChapter, LessonChapterId, LessonSettingsPatch } from './chapterTypes';

export { isLessonChapterId, LESSON_CHAPTER_IDS } from './chapterTypes';
export type { ChapterPlan, EngineRunPlan, LessonChapter, LessonChapterId } from './chapterTypes';

/** The lab's defaults (seed 42) with a chapter's patch: what a lesson run is started with. */
function lessonSettings(patch: LessonSettingsPatch = {}): EngineSettings {
  return { ...DEFAULT_ENGINE_SETTINGS, seed: 42, ...patch };
}

/**
 * Plain SGD for one visible step: no warm-up (the first step gets the peak rate, not a tenth of it)
 * and a rate of 0.1. SGD moves a row by η·c·‖g‖ (c the clip scale, about 0.6 here): on the lab
 * preset at 0.1 a batch row moves a median 5.8e-6 (measured, seed 42), at BERT's 1e-4 it would move
 * a thousandth of that, a change in the ninth decimal of weights near 0.02. Every row with a
 * gradient still moves at 1e-4 (measured too), but nothing on a page could show it.
 */
const ONE_SGD_STEP: LessonSettingsPatch = { optimizer: 'sgd', learningRate: 0.1, warmupSteps: 0 };

export const LESSON_CHAPTERS: readonly LessonChapter[] = [
  {
    id: 'wordpiece',
    number: 1,
    title: 'The vocabulary comes first',
    lead: "Before BERT sees a sentence, a separate algorithm decides which pieces of text get a row in the embedding table. We train that algorithm, WordPiece, on the lab's built-in corpus.",
    question: {
      prompt: 'As WordPiece merges letters into longer pieces, which words become single tokens first?',
      choices: [
        { id: 'frequent', label: 'The most frequent words, such as "the" and "and"' },
        { id: 'long', label: 'The longest words, since they save the most pieces each' },
        { id: 'rare', label: 'Rare words, since they need a token of their own' },
        { id: 'alphabetical', label: 'No pattern: merges go in alphabetical order' },
      ],
      correct: 'frequent',
      why: "Each merge is chosen by how much it raises the corpus's likelihood under a unigram model of its pieces, a gain that grows with how often the pair occurs. Frequent words gather the most occurrences, so they fuse first; rare words stay split into pieces that frequent words share. bert-base-uncased was trained the same way on far more text: its 30,522 pieces hold common words whole and split rare ones into ##pieces.",
    },
    plan: {
      kind: 'wordpiece',
      vocabSize: 600,
      words: ['the', 'and', 'morning', 'marmalade', 'hailstorm', 'embeddings'],
      sentence: "Nora's grandmother made marmalade before the hailstorm.",
    },
  },
  {
    id: 'random-start',
    number: 2,
    title: 'The table starts random',
    lead: 'BERT has an embedding table with one row per vocabulary token, plus tables for the segment (sentence A or B) and the position. Before training, what is in them?',
    question: {
      prompt:
        'Before any training step, how similar are the rows of two unrelated words, say "cat" and "train"?',
      choices: [
        { id: 'close', label: 'Already fairly similar: the rows come from a pre-trained word list' },
        { id: 'random', label: 'Unrelated: two random vectors, cosine close to 0' },
        { id: 'zero', label: 'Identical: every row starts at zero' },
        { id: 'opposite', label: 'Opposite: cosine close to −1' },
      ],
      correct: 'random',
      why: "Every table starts from BERT's initialization: independent draws from a normal distribution with standard deviation 0.02, redrawn when beyond 2σ (a truncated normal). Two random vectors in 32 dimensions are close to orthogonal, so the cosine of any two rows is near 0, and nothing in a row says what its token means yet. Summed with the segment and position rows and normalized by LayerNorm, the input to the encoder is random too.",
    },
    plan: {
      kind: 'engine',
      runs: [{ id: 'step-0', label: 'Untrained model, seed 42', settings: lessonSettings(), steps: 0 }],
      pair: { a: 'The cat sat on the mat.', b: 'The train was late again.', words: ['cat', 'train'] },
    },
  },
  {
    id: 'joint-training',
    number: 3,
    title: 'Backprop trains the table with the rest',
    lead: "The embedding table is a weight like any other. We train the lab's BERT with its default settings (AdamW, output tied to the table) for ten steps and watch rows of the table.",
    question: {
      prompt: 'While BERT trains, what happens to the embedding table?',
      choices: [
        { id: 'fixed', label: 'Nothing: it was fixed when the vocabulary was built' },
        { id: 'jointly', label: 'It changes every step, updated by backprop like every other weight' },
        { id: 'separate', label: 'It is trained first on its own, then frozen while the encoder trains' },
        { id: 'positions-only', label: 'Only the position rows change' },
      ],
      correct: 'jointly',
      why: "The loss (masked-word and next-sentence prediction) is differentiated with respect to every parameter, the embedding tables included: the gradient flows back through the encoder into the rows that were looked up (and, with a tied output, into every row through the softmax). The optimizer then updates the tables in the same step as the encoder's weights. Nothing else trains them.",
    },
    plan: {
      kind: 'engine',
      runs: [
        {
          id: 'default',
          label: 'Lab preset, AdamW, tied output',
          settings: lessonSettings(),
          steps: 10,
          watch: { tables: { tokenRows: ['the', 'cat', 'morning'] } },
        },
      ],
    },
  },
  {
    id: 'only-batch-rows',
    number: 4,
    title: 'Only the batch’s rows get a gradient',
    lead: 'A batch of 8 sequences of 32 tokens holds at most 256 ids, out of 30,522 rows. We untie the output layer and use plain SGD, then take one step.',
    question: {
      prompt:
        'After one SGD step with an untied output, how many of the 30,522 rows of the embedding table have moved?',
      choices: [
        { id: 'all', label: 'All 30,522' },
        { id: 'batch', label: "Exactly the rows of the batch's tokens, [PAD] aside: a few hundred at most" },
        { id: 'half', label: 'About half' },
        { id: 'none', label: 'None: one step is too small to change anything' },
      ],
      correct: 'batch',
      why: 'The embedding lookup copies row id out of the table for each token. Its backward pass adds the gradient of each copy back into that row and nothing into any other row, so rows of tokens not in the batch get a gradient of exactly 0, and SGD (w ← w − η·g) leaves them where they are. [PAD] is looked up but gets 0 too: attention masks padded slots and no loss reads them.',
    },
    plan: {
      kind: 'engine',
      runs: [
        {
          id: 'untied-sgd',
          label: 'Untied output, plain SGD, one step',
          settings: lessonSettings({ ...ONE_SGD_STEP, tieOutputEmbeddings: false }),
          steps: 1,
        },
      ],
    },
  },
  {
    id: 'tied-output',
    number: 5,
    title: 'A tied output reaches every row',
    lead: 'BERT predicts a masked word with a softmax over the whole vocabulary, and it reuses the embedding table as that output layer ("tied" weights). Same SGD step, output tied.',
    question: {
      prompt: 'With the output tied to the table, how many rows get a gradient in one step?',
      choices: [
        { id: 'batch', label: "Still only the batch's rows" },
        { id: 'batch-and-targets', label: "The batch's rows plus the masked words' rows" },
        { id: 'all', label: 'All 30,522 rows' },
        { id: 'none', label: 'None: the output layer is trained instead' },
      ],
      correct: 'all',
      why: 'The logits are h · E_tokenᵀ: every row of the table takes part in every prediction. The softmax gives every token some probability p, so the cross-entropy sends every row r the gradient Σ (p[r] − y[r]) h: a small push away from the hidden states of masked slots for every wrong word, a pull toward them for the right one. Under SGD every row with a gradient moves.',
    },
    plan: {
      kind: 'engine',
      runs: [
        {
          id: 'tied-sgd',
          label: 'Tied output (as in BERT), plain SGD, one step',
          settings: lessonSettings({ ...ONE_SGD_STEP, tieOutputEmbeddings: true }),
          steps: 1,
        },
      ],
    },
  },
  {
    id: 'adam',
    number: 6,
    title: 'Adam moves rows without a gradient',
    lead: 'BERT is trained with Adam (AdamW), not plain SGD. Adam keeps a running average of each weight’s past gradients (m) and of their squares (v), and steps by m/√v.',
    question: {
      prompt:
        'Untied output, Adam. A row was in the batch at step 1 but not at step 2. Does it move at step 2?',
      choices: [
        { id: 'no', label: 'No: no gradient at step 2, so no update' },
        { id: 'yes', label: "Yes: Adam's running average of past gradients keeps moving it" },
        { id: 'pad-only', label: 'Only [PAD] moves without a gradient' },
        { id: 'tied-only', label: 'Only when the output is tied' },
      ],
      correct: 'yes',
      why: "Adam's update is η·m/(√v + ε) with m and v running averages: a row's m and v decay when its gradient is 0 but stay nonzero, so it keeps moving after it leaves the batch. Dividing by √v also makes the step size nearly independent of the gradient's size: under a tied output, rows whose only gradient is the softmax's small share move about as far as rows of the batch. LazyAdam updates only the rows with a gradient this step, which brings the sparsity of chapter 4 back.",
    },
    plan: {
      kind: 'engine',
      runs: [
        {
          id: 'untied-adam',
          label: 'Untied output, Adam, two steps',
          settings: lessonSettings({ optimizer: 'adam', tieOutputEmbeddings: false, warmupSteps: 0 }),
          steps: 2,
        },
        {
          id: 'tied-adamw',
          label: 'The lab’s defaults: tied output, AdamW, 10 warm-up steps; 20 steps',
          settings: lessonSettings(),
          // Measured on the lab preset (wasm, seed 42): at step 10 a batch row's lookup gradient and
          // a softmax-only row's are about equal (median ‖g‖ 2.0e-4 and 1.8e-4); at step 20 the
          // lookup's is 8.8 times larger (1.7e-3 against 1.9e-4) while the rows move 1.9e-2 and 2.4e-2.
          steps: 20,
        },
        {
          id: 'untied-lazyadam',
          label: 'Untied output, LazyAdam, two steps',
          settings: lessonSettings({ optimizer: 'lazyadam', tieOutputEmbeddings: false, warmupSteps: 0 }),
          steps: 2,
        },
      ],
    },
  },
  {
    id: 'vocab-size',
    number: 7,
    title: 'Why the vocabulary is kept small',
    lead: 'A row learns only from the steps in which its token appears (or, tied, from a small softmax share). We count how often each row is looked up, and compare a WordPiece vocabulary with one five times larger on the same corpus.',
    question: {
      prompt: 'If the vocabulary were five times larger, what would happen to its rarest rows?',
      choices: [
        { id: 'more', label: 'They would be looked up more often' },
        {
          id: 'starve',
          label: 'Many more rows would occur only a few times or never, so they would barely train',
        },
        { id: 'same', label: 'Nothing: every row is updated every step anyway' },
        { id: 'faster', label: 'Training would get faster, since each token covers more text' },
      ],
      correct: 'starve',
      why: 'The corpus has a fixed number of tokens to share among the rows. A larger vocabulary splits words into fewer pieces, so it has fewer tokens to share among more rows, and the extra rows are the rare whole words that the smaller vocabulary spelled out from shared pieces. Those rows get a lookup gradient only in the few steps where their word appears. That is one reason BERT keeps about 30,000 pieces: every piece is seen often enough to learn, and a rare word borrows what its pieces learned elsewhere.',
    },
    plan: {
      kind: 'vocab-size',
      vocabSize: 600,
      factor: 5,
      rareBelow: 5,
      runs: [
        {
          id: 'lookups',
          label: 'Lab preset, untied SGD, 20 steps',
          settings: lessonSettings({ ...ONE_SGD_STEP, tieOutputEmbeddings: false }),
          steps: 20,
        },
      ],
    },
  },
  {
    id: 'learned',
    number: 8,
    title: 'What the rows become',
    lead: 'Training moves the rows; what do they move towards? The position table shows it most clearly. It has 128 rows, one per slot, but every training sequence here is 32 tokens long. We train the lab’s defaults for 120 steps and compare every position row with every other.',
    question: {
      prompt: 'After 120 steps, what do the cosines between position rows show?',
      choices: [
        {
          id: 'band',
          label:
            'Neighbouring rows 1–31 grow alike (a band along the diagonal); rows 32–127 keep exactly their step-0 cosines',
        },
        { id: 'all', label: 'All 128 rows change alike: they are one table' },
        { id: 'same', label: 'Every row becomes alike: cosine near 1 everywhere' },
        { id: 'nothing', label: 'Nothing yet: 120 steps are too few to learn anything about positions' },
      ],
      correct: 'band',
      why: 'Row i of the position table is added to the token at slot i of every sequence, so its gradient is the sum of the gradients reaching slot i. Neighbouring slots see nearly the same contexts, so their rows grow alike: the model learns order without being told that slot 5 follows slot 4. Rows 32–127 are never added to anything in training, so the lookup sends them exactly zero gradient, and no output layer reads the position table. BERT itself was pre-trained on 128-token sequences for 90% of its steps and on 512 only for the rest, to train the rows past 128.',
      seeAlso: {
        view: 'learned',
        text: 'The Learned rows view follows the same table, and a token’s nearest rows, step by step in your own run.',
      },
    },
    plan: {
      kind: 'engine',
      runs: [
        {
          id: 'default',
          label: 'Lab preset, AdamW, tied output, 120 steps',
          settings: lessonSettings(),
          // Measured (wasm, seed 42): neighbouring rows 1–31 go from a mean cosine of −0.04 at step 0
          // to 0.13 by step 25 and 0.12–0.17 after; rows past 32 keep 0.030 to the last digit.
          steps: 120,
          watch: { positions: { every: 20 } },
        },
      ],
    },
  },
];

/** The chapter with this id (the ids are a closed set, so this never misses). */
export function lessonChapter(id: LessonChapterId): LessonChapter {
  const chapter = LESSON_CHAPTERS.find((c) => c.id === id);
  if (!chapter) throw new Error(`No lesson chapter ${id}.`);
  return chapter;
}
