/**
 * The lab store's shape in one place: each slice's state and actions, and the combined state. The
 * slices (packSlice.ts, …) implement these and import only from here, so no slice imports the
 * store that combines them. The slices' side effects (Web Locks, storage, page listeners, the
 * Workers) live in controllers, not here.
 */
import type { StoreApi } from 'zustand/vanilla';
import type { BackendName, EngineSettings } from '../core/domain/settings';
import type { OptimizerComparison, TrainingPoint } from '../core/domain/history';
import type { PredictionOutcome, RowFrame, RowStats, StepReport } from '../core/train/pure';
import type { MergeStep, StopReason } from '../core/tokenizer/train';
import type { TokenDrift } from '../core/train/drift';
import type { SessionMeta } from '../persist/db';
import type { EmbeddingTables, PairTrace } from '../engine/session';
import type { TrainEngineClient } from '../engine/trainClient';
import type { EnginePhase, EngineSnapshot, RestoredSession } from '../engine/trainProtocol';
import type { CorpusSource, CorpusStats, TrainerSettings } from '../engine/vocabProtocol';
import type { RunRowFacts, StepRowFacts } from './rowFacts';
import type { LessonSlice } from './lessonTypes';
import type { LearnedSlice } from './learnedTypes';

// The views and where the lab's files come from.
export type LabView = 'pack' | 'vocab' | 'train' | 'sum' | 'learned' | 'lesson';

export interface ViewSlice {
  view: LabView;
  setView(view: LabView): void;
}

/**
 * Where the lab's static files (the vocabulary, the corpus) are fetched from. The full page uses
 * its document's base URL; the web component passes its own module's URL, because on a course
 * page the document belongs to the host, not to the lab.
 */
export interface AssetSlice {
  assetBase: string;
}

/**
 * The colours an embed wears, chosen by its host (the `theme=` and `background=` flags, the
 * `setTheme` message, the element's attributes). The full lab keeps the defaults: it follows the
 * system's colour scheme on its own page colour.
 */
export type ThemeChoice = 'auto' | 'light' | 'dark';
export type BackgroundChoice = 'page' | 'transparent';

export interface AppearanceSlice {
  /** 'auto' follows the system (prefers-color-scheme); 'light' and 'dark' force one. */
  theme: ThemeChoice;
  /** 'transparent': the embed's page colour is the host's own (panels keep theirs). */
  background: BackgroundChoice;
  setTheme(theme: ThemeChoice): void;
  setBackground(background: BackgroundChoice): void;
}

export type LabState = PackSlice &
  VocabSlice &
  VocabTrainerSlice &
  TrainingSlice &
  SumSlice &
  ViewSlice &
  AssetSlice &
  AppearanceSlice &
  SessionsSlice &
  LessonSlice &
  LearnedSlice;

export type LabStore = StoreApi<LabState>;

// Tokenize & Pack.
/** The Tokenize & Pack view's inputs. Everything it shows is derived from these and the vocabulary. */
export interface PackSlice {
  sentenceA: string;
  sentenceB: string;
  /** The raw text of the max-length field, kept as typed so a half-typed number is not lost. */
  maxLengthInput: string;
  padToMaxLength: boolean;
  /** The piece under the pointer or keyboard focus, shown in the inspector. */
  inspected: InspectedPiece | null;
  setSentenceA(text: string): void;
  setSentenceB(text: string): void;
  setMaxLengthInput(text: string): void;
  setPadToMaxLength(pad: boolean): void;
  setInspected(piece: InspectedPiece | null): void;
}

/** What the inspector describes: a word piece of sentence A or B, or a slot of the packed input. */
export type InspectedPiece =
  | { readonly source: 'stage'; readonly side: 'a' | 'b'; readonly pieceIndex: number }
  | { readonly source: 'packed'; readonly position: number };

// The bert-base-uncased vocabulary and a learned one.
export type VocabStatus =
  | { readonly kind: 'loading' }
  | { readonly kind: 'ready'; readonly name: string; readonly tokens: readonly string[] }
  | { readonly kind: 'error'; readonly message: string };

/** A vocabulary the lab trained, frozen at the moment the learner chose to use it. */
export interface LearnedVocab {
  readonly name: string;
  readonly tokens: readonly string[];
}

export interface VocabSlice {
  /** bert-base-uncased, fetched from public/vocab/. */
  vocab: VocabStatus;
  learnedVocab: LearnedVocab | null;
  /** Which vocabulary the Tokenize & Pack view tokenizes with. */
  packVocab: 'bert' | 'learned';
  setVocab(vocab: VocabStatus): void;
  /** Freezes the trainer's current vocabulary and makes it the Tokenize & Pack vocabulary. */
  adoptLearnedVocab(): void;
  setPackVocab(choice: 'bert' | 'learned'): void;
}

// The WordPiece vocabulary trainer (the Vocabulary view), not to be confused with training the model.
export type VocabTrainerStatus = 'idle' | 'loading' | 'ready' | 'running' | 'error';

/** The vocabulary trainer as the page sees it: plain data mirrored from the Worker. */
export interface VocabTrainerView {
  status: VocabTrainerStatus;
  /** Word counting progress, 0..1, while loading. */
  progress: number;
  corpus: CorpusStats | null;
  settings: TrainerSettings;
  /** Specials and alphabet, then one token per merge that added one. */
  vocab: readonly string[];
  initialVocabSize: number;
  initialPiecesPerWord: number;
  steps: readonly MergeStep[];
  stopped: StopReason | null;
  droppedChars: readonly string[];
  droppedWords: number;
  /** Distinct words trained on (after leaving out those with rare characters). */
  wordCount: number;
  /** The last problem, in words for the page; the previous corpus and vocabulary stay usable. */
  error: string | null;
}

export interface VocabTrainerSlice {
  trainer: VocabTrainerView;
  loadCorpus(source: CorpusSource): void;
  runMerges(steps: number): void;
  pauseMerges(): void;
  /** New settings restart training from the alphabet on the same corpus. */
  configureTrainer(settings: TrainerSettings): void;
  dismissTrainerError(): void;
}

// Training the model (the Training view).
/**
 * "Predict, then reveal": the learner marks the rows they expect the next step to move; the step
 * after that is compared with the mark. The marks stay until the next round starts.
 */
export interface PredictionRound {
  readonly on: boolean;
  readonly rows: ReadonlySet<number>;
  /** How the step after the prediction compared with it; null while the round is open. */
  readonly reveal: (PredictionOutcome & { readonly step: number }) | null;
}

export interface TrainingView {
  status: 'idle' | 'starting' | 'ready' | 'error';
  settings: EngineSettings;
  snapshot: EngineSnapshot | null;
  lastReport: StepReport | null;
  history: readonly TrainingPoint[];
  notices: readonly string[];
  error: string | null;
  /** The running model's vocabulary, by id (null before the first start). */
  vocab: readonly string[] | null;
  /** Per-row causes of the last step and counters since the last (re)start. */
  rows: RowStats | null;
  /** lastReport's rows counted by path (null without a report): counted once per step, not per render. */
  stepFacts: StepRowFacts | null;
  /** `rows` summed over the vocabulary, kept beside it for the same reason. */
  runFacts: RunRowFacts | null;
  /** The last FRAME_LIMIT steps' causes and row norms, oldest first. */
  frames: readonly RowFrame[];
  /** The step the map and counts show; null follows the latest step. Rewinds the view, not the weights. */
  viewStep: number | null;
  prediction: PredictionRound;
  /** The last step of both runs of an A/B optimizer comparison; null when it is off. */
  comparison: OptimizerComparison | null;
  /** What the engine is busy with while the page waits, in words; null when it is not. */
  phase: EnginePhase | null;
  /**
   * The settings of a fresh run being started (from step 0, not a resumed session); null otherwise.
   * Its step-0 weights come from the seed alone, so views can show them before the engine is up.
   */
  starting: EngineSettings | null;
  /**
   * Starts that may happen before the views may start the engine themselves: the page's link
   * replaying its recipe, a reload resuming its saved session. While any is open, autoStartTraining
   * waits, so a view shown early never races them with a default run.
   */
  autoStartHolds: number;
}

export interface TrainingSlice {
  training: TrainingView;
  /** (Re)starts the engine with these settings: same seed, same initial weights and batches. */
  startTraining(settings?: Partial<EngineSettings>): Promise<void>;
  /**
   * What a view calls when it is shown: starts the engine with the current settings if nothing has
   * started it, nothing is starting it and no hold is open; otherwise does nothing.
   */
  autoStartTraining(): void;

  /** Keeps views from starting the engine until `work` settles (it is starting or resuming a run). */
  holdAutoStart(work: Promise<unknown>): void;
  /**
   * Continues a saved session: the engine checks it completely first, so a bad one leaves the
   * running model (and this view) as they were, and the promise rejects saying why.
   */
  resumeTraining(sessionId: string): Promise<RestoredSession>;
  stepTraining(steps: number): Promise<void>;
  playTraining(stepsPerSecond: number): void;
  pauseTraining(): void;
  setTrainingBackend(backend: BackendName): Promise<void>;
  setTrainingLearningRate(learningRate: number): Promise<void>;
  /** Shows an earlier step's rows (null: follow the latest step). */
  setTrainingViewStep(step: number | null): void;
  /** Turns "predict, then reveal" on or off; either way the marks are cleared. */
  setPredicting(on: boolean): void;
  /** Marks or unmarks a row; after a reveal, the first mark starts a new round. */
  togglePrediction(row: number): void;
  /**
   * The engine itself, made on first call: the test facade's gradient probes use it, and a view
   * that needs the engine calls it when shown, so the Worker loads tfjs while the link and a saved
   * session have their turn to start a run.
   */
  trainingEngine(): TrainEngineClient;
  /**
   * The whole training state as of now, for handlers that need it once (an export) in components
   * that must not re-render on every step by selecting it.
   */
  currentTraining(): TrainingView;
}

// The Embedding sum view.
/** What the all-positions matrix shows: one of the three lookups, their sum, or LayerNorm's output. */
export const SUM_COMPONENTS = ['token', 'segment', 'position', 'sum', 'output'] as const;

export type SumComponent = (typeof SUM_COMPONENTS)[number];

/**
 * The stages of one position's walk through Figure 2 of the BERT paper, in order: look the rows up,
 * bring them together, add them cell by cell, take the sum's mean and spread, normalize, scale by γ
 * and shift by β.
 */
export const SUM_STAGES = ['lookup', 'gather', 'add', 'stats', 'normalize', 'affine'] as const;

export type SumStage = (typeof SUM_STAGES)[number];

export const LAST_STAGE = SUM_STAGES.length - 1;

/** Paused; playing the stages of the selected position once; or walking through every position. */
export type SumPlay = 'paused' | 'once' | 'all';

/** ‖E_token[id]‖ for the ids of the pair on show, after one observed training step. */
export interface RowNormPoint {
  readonly step: number;
  readonly norms: ReadonlyMap<number, number>;
}

export interface SumSlice {
  sumPosition: number;
  sumComponent: SumComponent;
  /** Index into SUM_STAGES of the stage on show. */
  sumStage: number;
  sumPlay: SumPlay;
  /** Animation speed: 1 is the normal pace. */
  sumSpeed: number;
  sumTrace: PairTrace | null;
  sumTables: EmbeddingTables | null;
  /** E_token's change since step 0 at sumTables' step: the mean all rows share, and each row's own. */
  sumDrift: TokenDrift | null;
  sumError: string | null;
  sumNormHistory: readonly RowNormPoint[];
  setSumPosition(position: number): void;
  setSumComponent(component: SumComponent): void;
  setSumStage(stage: number): void;
  setSumPlay(play: SumPlay): void;
  /** Selects a position and replays its stages from the lookup, or shows the end at once. */
  selectSumPosition(position: number, animate: boolean): void;
  setSumSpeed(speed: number): void;
  /** Reads the trace of the current pair and the tables from the engine, with its weights of now. */
  refreshSum(): Promise<void>;
  /**
   * Shows a trace made outside the engine (a fresh run's step 0 from the seed, store/stepZero.ts,
   * while the engine loads; its own numbers replace it once it is up), or clears the view (null).
   */
  showSum(sum: { readonly trace: PairTrace; readonly tables: EmbeddingTables } | null): void;
}

// Saved sessions.
/** The session this tab trains and autosaves. */
export interface CurrentSession {
  readonly id: string;
  readonly name: string;
  /** Named by the learner; sessions named automatically at a fresh start are pruned when old. */
  readonly named: boolean;
  /** Another tab holds this session: this tab shows it but never writes it. */
  readonly readOnly: boolean;
}

export interface SessionsView {
  /** Persistence is on for the lab page; an embedded view leaves it off and saves nothing. */
  enabled: boolean;
  list: readonly SessionMeta[];
  /** Ids of the sessions another tab (or this one) holds now. */
  held: readonly string[];
  current: CurrentSession | null;
  saving: boolean;
  /** The step of the current session's last save; null until it is saved. */
  savedStep: number | null;
  /** Set when a saved session was loaded (at startup or from the list). */
  resumed: { readonly name: string; readonly step: number } | null;
  notice: string | null;
  error: string | null;
  /** A load or an import is running. */
  busy: boolean;
}

export interface SessionsSlice {
  sessions: SessionsView;
  /** Turns saving on; with `resume`, continues the session this browser trained last. */
  enableSessions(options: { resume: boolean }): Promise<void>;
  /** A fresh start trains a new session (called by startTraining). */
  beginSession(): void;
  /** Names the current session (when given) and saves it now. */
  saveSession(name?: string): Promise<void>;
  loadSession(id: string): Promise<void>;
  renameSession(id: string, name: string): Promise<void>;
  deleteSession(id: string): Promise<void>;
  /** The session as a file, saved first when it is the current one. */
  exportSession(id: string): Promise<{ blob: Blob; fileName: string }>;
  importSession(file: File): Promise<void>;
  /** Leaves a read-only session for a copy this tab owns and saves. */
  continueAsCopy(): Promise<void>;
  refreshSessions(): Promise<void>;
  dismissSessionsMessage(): void;
  /**
   * Stops saving: the store subscription and the page listeners are removed, a pending save is
   * dropped and the session's lock released (an embedded lab unmounting, a test).
   */
  disableSessions(): void;
}
