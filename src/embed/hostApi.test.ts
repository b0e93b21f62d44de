import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StepReport } from '../core/train';
import type { EngineSnapshot } from '../engine/trainProtocol';
import { createLabStore } from '../store/labStore';
import type { LabStore } from '../store/types';
import {
  connectHost,
  createMessageGate,
  LAB_MESSAGE_SOURCE,
  MAX_STEPS_PER_MESSAGE,
  parseHostMessage,
  runHostMessage,
  targetOrigins,
  type LabMessage,
} from './hostApi';
import { refusalFor } from './refusals';

describe('parseHostMessage accepts the four documented messages', () => {
  it('setState with shared-state fields', () => {
    expect(
      parseHostMessage({ type: 'setState', payload: { sentenceA: 'Hi there.', maxLength: 16 } }),
    ).toEqual({
      ok: true,
      message: { type: 'setState', payload: { sentenceA: 'Hi there.', maxLength: 16 } },
    });
  });

  it('step with a count, or one step without a payload', () => {
    expect(parseHostMessage({ type: 'step', payload: { steps: 25 } })).toEqual({
      ok: true,
      message: { type: 'step', payload: { steps: 25 } },
    });
    expect(parseHostMessage({ type: 'step' })).toEqual({
      ok: true,
      message: { type: 'step', payload: { steps: 1 } },
    });
    expect(parseHostMessage({ type: 'step', payload: { steps: MAX_STEPS_PER_MESSAGE } }).ok).toBe(true);
  });

  it('play with a rate, or the default rate', () => {
    expect(parseHostMessage({ type: 'play', payload: { stepsPerSecond: 2.5 } })).toEqual({
      ok: true,
      message: { type: 'play', payload: { stepsPerSecond: 2.5 } },
    });
    expect(parseHostMessage({ type: 'play' })).toEqual({
      ok: true,
      message: { type: 'play', payload: { stepsPerSecond: 5 } },
    });
  });

  it('pause with no payload or an empty one', () => {
    expect(parseHostMessage({ type: 'pause' })).toEqual({ ok: true, message: { type: 'pause' } });
    expect(parseHostMessage({ type: 'pause', payload: {} })).toEqual({
      ok: true,
      message: { type: 'pause' },
    });
  });

  it('an object without a prototype, as some hosts build', () => {
    const message = Object.assign(Object.create(null) as object, { type: 'pause' });
    expect(parseHostMessage(message).ok).toBe(true);
  });
});

describe('parseHostMessage refuses every malformed message with a reason', () => {
  const refused: [string, unknown][] = [
    ['null', null],
    ['a string', 'step'],
    ['a number', 42],
    ['an array', [{ type: 'step' }]],
    ['a Map', new Map([['type', 'step']])],
    ['a Date', new Date(0)],
    [
      'a class instance',
      new (class Message {
        type = 'pause';
      })(),
    ],
    ['no type', { payload: { steps: 1 } }],
    ['a type that is not a string', { type: 7 }],
    ['an unknown type', { type: 'eval', payload: 'alert(1)' }],
    ['an unknown top-level field', { type: 'pause', extra: true }],
    ['setState without a payload', { type: 'setState' }],
    ['setState with an array payload', { type: 'setState', payload: [['sentenceA', 'x']] }],
    ['setState with an empty payload', { type: 'setState', payload: {} }],
    ['setState with an unknown field', { type: 'setState', payload: { sentenceA: 'ok', html: '<b>x</b>' } }],
    ['setState with a wrong type', { type: 'setState', payload: { sentenceA: 42 } }],
    ['setState with an out-of-range number', { type: 'setState', payload: { maxLength: 100_000 } }],
    ['setState with a view that does not exist', { type: 'setState', payload: { view: 'admin' } }],
    [
      'setState with a sentence past the cap',
      { type: 'setState', payload: { sentenceA: 'a'.repeat(100_001) } },
    ],
    [
      'setState with too many fields',
      { type: 'setState', payload: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, i])) },
    ],
    ['step with zero steps', { type: 'step', payload: { steps: 0 } }],
    ['step with too many steps', { type: 'step', payload: { steps: MAX_STEPS_PER_MESSAGE + 1 } }],
    ['step with a fraction', { type: 'step', payload: { steps: 1.5 } }],
    ['step with a string', { type: 'step', payload: { steps: '5' } }],
    ['step with NaN', { type: 'step', payload: { steps: Number.NaN } }],
    ['step with Infinity', { type: 'step', payload: { steps: Number.POSITIVE_INFINITY } }],
    ['step with a bare number payload', { type: 'step', payload: 5 }],
    ['step with an unknown payload field', { type: 'step', payload: { steps: 1, n: 1 } }],
    ['play too slow', { type: 'play', payload: { stepsPerSecond: 0 } }],
    ['play too fast', { type: 'play', payload: { stepsPerSecond: 61 } }],
    ['play with a string rate', { type: 'play', payload: { stepsPerSecond: 'fast' } }],
    ['pause with a payload', { type: 'pause', payload: { now: true } }],
    ['pause with a number payload', { type: 'pause', payload: 1 }],
  ];
  it.each(refused)('%s', (_name, data) => {
    const parsed = parseHostMessage(data);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason.length).toBeGreaterThan(0);
  });

  it('a long unknown type is quoted short in the reason', () => {
    const parsed = parseHostMessage({ type: 'x'.repeat(10_000) });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason.length).toBeLessThan(100);
  });
});

describe('the message gate checks the origin and counts', () => {
  it('counts accepted and rejected messages, with the last reason', () => {
    const gate = createMessageGate(null);
    expect(gate.accept({ origin: 'https://a.example', data: { type: 'pause' } })).toEqual({ type: 'pause' });
    expect(gate.accept({ origin: 'https://a.example', data: { type: 'nope' } })).toBeNull();
    expect(gate.accept({ origin: 'https://a.example', data: null })).toBeNull();
    expect(gate.counts()).toEqual({
      accepted: 1,
      rejected: 2,
      lastRejection: 'the message is not an object',
    });
  });

  it('rejects a valid message from an origin that is not allowed', () => {
    const gate = createMessageGate(['https://course.example']);
    expect(gate.accept({ origin: 'https://evil.example', data: { type: 'pause' } })).toBeNull();
    expect(gate.counts().rejected).toBe(1);
    expect(gate.counts().lastRejection).toContain('https://evil.example');
    expect(gate.accept({ origin: 'https://course.example', data: { type: 'pause' } })).toEqual({
      type: 'pause',
    });
    expect(gate.counts()).toMatchObject({ accepted: 1, rejected: 1 });
  });

  it('an empty allow-list (origins= with nothing valid) rejects everyone', () => {
    const gate = createMessageGate([]);
    expect(gate.accept({ origin: 'https://course.example', data: { type: 'pause' } })).toBeNull();
    expect(targetOrigins([])).toEqual([]);
  });

  it('posts to the allowed origins, or to any host without a list', () => {
    expect(targetOrigins(['https://a.example', 'https://b.example'])).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
    expect(targetOrigins(null)).toEqual(['*']);
  });
});

/** A window stand-in: the test dispatches messages, and sees what the lab posts to its host. */
function fakeWindows() {
  const listeners = new Set<(event: MessageEvent) => void>();
  const posted: { message: LabMessage; origin: string }[] = [];
  return {
    self: {
      addEventListener: (_: 'message', l: (event: MessageEvent) => void) => void listeners.add(l),
      removeEventListener: (_: 'message', l: (event: MessageEvent) => void) => void listeners.delete(l),
    },
    host: {
      postMessage: (message: unknown, origin: string) =>
        void posted.push({ message: message as LabMessage, origin }),
    },
    send(data: unknown, origin = 'https://course.example') {
      for (const l of listeners) l({ data, origin } as MessageEvent);
    },
    posted,
    listeners,
  };
}

/**
 * Lets the host's queue of promises run to the end. Timers are fake, so the throttled `state` post
 * (STATE_INTERVAL_MS) fires only when a test moves the clock: what a test sees comes from the
 * message queue, not from how busy the machine is.
 */
const settle = () => vi.advanceTimersByTimeAsync(0);

function connect(store: LabStore, origins: readonly string[] | null = ['https://course.example']) {
  const w = fakeWindows();
  const counts = vi.fn();
  const connection = connectHost({ self: w.self, host: w.host, store, origins, onCounts: counts });
  return { w, counts, connection };
}

describe('connectHost', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('says ready with the view and state, then reports changes after setState', async () => {
    const store = createLabStore();
    const { w, connection } = connect(store);
    connection.ready();
    await settle();
    expect(w.posted[0]).toMatchObject({
      origin: 'https://course.example',
      message: { source: LAB_MESSAGE_SOURCE, type: 'ready', payload: { version: 1, view: 'pack' } },
    });
    w.send({ type: 'setState', payload: { sentenceA: 'New words', sentenceB: '' } });
    await settle();
    expect(store.getState().sentenceA).toBe('New words');
    const state = w.posted.find((p) => p.message.type === 'state');
    expect(state?.message.payload).toMatchObject({ sentenceA: 'New words', sentenceB: '' });
    connection.disconnect();
  });

  it('ignores and counts rejected messages without touching the store', async () => {
    const store = createLabStore();
    const { w, counts, connection } = connect(store);
    const before = store.getState().sentenceA;
    w.send({ type: 'setState', payload: { sentenceA: 'from elsewhere' } }, 'https://evil.example');
    w.send({ type: 'setState', payload: { sentenceA: 'half', maxLength: -5 } });
    w.send('<img src=x onerror=alert(1)>');
    await settle();
    expect(store.getState().sentenceA).toBe(before);
    expect(counts).toHaveBeenLastCalledWith(expect.objectContaining({ accepted: 0, rejected: 3 }));
    connection.disconnect();
  });

  it('starts the engine for step, then trains that many steps', async () => {
    const store = createLabStore();
    store.getState().setView('train');
    const calls: string[] = [];
    store.setState({
      startTraining: async () => {
        calls.push('start');
        store.setState({ training: { ...store.getState().training, status: 'ready' } });
      },
      stepTraining: async (steps: number) => void calls.push(`step ${steps}`),
      playTraining: (rate: number) => void calls.push(`play ${rate}`),
      pauseTraining: () => void calls.push('pause'),
    });
    const { w, connection } = connect(store);
    w.send({ type: 'step', payload: { steps: 3 } });
    w.send({ type: 'step', payload: { steps: 2 } });
    w.send({ type: 'play', payload: { stepsPerSecond: 4 } });
    w.send({ type: 'pause' });
    await settle();
    expect(calls).toEqual(['start', 'step 3', 'step 2', 'play 4', 'pause']);
    connection.disconnect();
  });

  it('waits for a start under way before it steps', async () => {
    const store = createLabStore();
    store.getState().setView('sum');
    const training = () => store.getState().training;
    store.setState({ training: { ...training(), status: 'starting' } });
    const steps: number[] = [];
    const start = vi.fn();
    store.setState({ startTraining: start, stepTraining: async (n: number) => void steps.push(n) });
    const { w, connection } = connect(store);
    w.send({ type: 'step', payload: { steps: 4 } });
    await settle();
    expect(steps).toEqual([]);
    store.setState({ training: { ...training(), status: 'ready' } });
    await settle();
    expect(steps).toEqual([4]);
    expect(start).not.toHaveBeenCalled();
    connection.disconnect();
  });

  it('does not start an idle engine just to pause it', async () => {
    const store = createLabStore();
    const pause = vi.fn();
    store.setState({ pauseTraining: pause });
    const { w, connection } = connect(store);
    w.send({ type: 'pause' });
    await settle();
    expect(pause).not.toHaveBeenCalled();
    connection.disconnect();
  });

  it('reports a height only when it changes, after ready', async () => {
    const store = createLabStore();
    const { w, connection } = connect(store, null);
    connection.height(300.2);
    connection.ready();
    await settle();
    connection.height(301);
    connection.height(400);
    // The frame came back into view: the same height again, for a host that may have missed it.
    connection.height(400, true);
    const heights = w.posted.filter((p) => p.message.type === 'height');
    expect(heights.map((p) => [p.message.payload, p.origin])).toEqual([
      [{ height: 301 }, '*'],
      [{ height: 400 }, '*'],
      [{ height: 400 }, '*'],
    ]);
    connection.disconnect();
  });

  it('runs host messages only after the URL state is in', async () => {
    const store = createLabStore();
    const w = fakeWindows();
    let release = () => {};
    const before = new Promise<void>((resolve) => (release = resolve)).then(() =>
      store.getState().setSentenceA('from the URL'),
    );
    const connection = connectHost({ self: w.self, host: w.host, store, origins: null, before });
    connection.ready();
    w.send({ type: 'setState', payload: { sentenceA: 'from the host' } });
    await settle();
    expect(w.posted).toEqual([]);
    release();
    await settle();
    expect(store.getState().sentenceA).toBe('from the host');
    expect(w.posted[0]?.message.type).toBe('ready');
    connection.disconnect();
  });

  it('posts step with the step and loss after a step message has run', async () => {
    const store = createLabStore();
    store.getState().setView('train');
    store.setState({
      startTraining: async () => {
        store.setState({ training: { ...store.getState().training, status: 'ready' } });
      },
      stepTraining: async (steps: number) => {
        const training = store.getState().training;
        const step = (training.snapshot?.step ?? 0) + steps;
        store.setState({
          training: {
            ...training,
            snapshot: { ...training.snapshot, step } as EngineSnapshot,
            lastReport: { step, loss: { mlm: 2, nsp: 0.5, total: 2.5 } } as StepReport,
          },
        });
      },
    });
    const { w, connection } = connect(store);
    connection.ready();
    await settle();
    w.send({ type: 'step', payload: { steps: 3 } });
    await settle();
    expect(w.posted.filter((p) => p.message.type === 'step').map((p) => p.message)).toEqual([
      { source: LAB_MESSAGE_SOURCE, type: 'step', payload: { step: 3, loss: 2.5 } },
    ]);
    connection.disconnect();
  });

  it('stops listening on disconnect', () => {
    const { w, connection } = connect(createLabStore());
    expect(w.listeners.size).toBe(1);
    connection.disconnect();
    expect(w.listeners.size).toBe(0);
  });
});

describe('setTheme', () => {
  it('parses light, dark and auto, and nothing else', () => {
    for (const theme of ['light', 'dark', 'auto'] as const)
      expect(parseHostMessage({ type: 'setTheme', payload: { theme } })).toEqual({
        ok: true,
        message: { type: 'setTheme', payload: { theme } },
      });
    for (const payload of [undefined, {}, { theme: 'Dark' }, { theme: 1 }, { theme: 'dark', extra: 1 }])
      expect(parseHostMessage({ type: 'setTheme', payload })).toMatchObject({
        ok: false,
        reason: expect.stringContaining('setTheme') as unknown,
      });
  });

  it('sets the store’s theme, in any view', async () => {
    const store = createLabStore();
    await runHostMessage(store, { type: 'setTheme', payload: { theme: 'dark' } });
    expect(store.getState().theme).toBe('dark');
    await runHostMessage(store, { type: 'setTheme', payload: { theme: 'auto' } });
    expect(store.getState().theme).toBe('auto');
  });
});

describe('views that do not train refuse training', () => {
  const step = { type: 'step', payload: { steps: 1 } } as const;

  it('Tokenize & Pack, Vocabulary and the Lesson refuse step, play and pause, naming what to embed', () => {
    for (const view of ['pack', 'vocab', 'lesson'] as const)
      for (const message of [
        step,
        { type: 'play', payload: { stepsPerSecond: 5 } } as const,
        { type: 'pause' } as const,
      ])
        expect(refusalFor(view, message)).toMatch(new RegExp(`^${message.type} refused: .*embed=train`));
    expect(refusalFor('pack', step)).toContain('Tokenize & Pack');
    expect(refusalFor('vocab', step)).toContain('Vocabulary view');
  });

  it('Training, Embedding sum and Learned rows take them', () => {
    for (const view of ['train', 'sum', 'learned'] as const) expect(refusalFor(view, step)).toBeNull();
  });

  it('a setState with a training field is refused by a view without training, unless it switches to one', () => {
    const seed = { type: 'setState', payload: { seed: 3, sentenceA: 'x' } } as const;
    expect(refusalFor('pack', seed)).toMatch(/^setState refused, nothing applied: seed is a training field/);
    expect(refusalFor('pack', { type: 'setState', payload: { sentenceA: 'x' } })).toBeNull();
    expect(refusalFor('pack', { type: 'setState', payload: { seed: 3, view: 'train' } })).toBeNull();
    expect(refusalFor('train', { type: 'setState', payload: { seed: 3, view: 'vocab' } })).toMatch(
      /Vocabulary/,
    );
    expect(refusalFor('pack', { type: 'setTheme', payload: { theme: 'dark' } })).toBeNull();
  });
});

describe('connectHost answers refusals with rejected', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('a step to a Pack embed is refused with a reason, counted, and starts nothing', async () => {
    const store = createLabStore();
    const start = vi.fn();
    const stepTraining = vi.fn();
    store.setState({ startTraining: start, stepTraining });
    const w = fakeWindows();
    const counts = vi.fn();
    const rejected = vi.fn();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const connection = connectHost({
      self: w.self,
      host: w.host,
      store,
      origins: ['https://course.example'],
      onCounts: counts,
      onRejected: rejected,
    });
    w.send({ type: 'step', payload: { steps: 2 } });
    w.send({ type: 'setState', payload: { sentenceA: 'Still works.' } });
    await settle();
    expect(start).not.toHaveBeenCalled();
    expect(stepTraining).not.toHaveBeenCalled();
    expect(store.getState().training.status).toBe('idle');
    expect(store.getState().sentenceA).toBe('Still works.');
    const answers = w.posted.filter((p) => p.message.type === 'rejected');
    expect(answers).toEqual([
      {
        origin: 'https://course.example',
        message: {
          source: LAB_MESSAGE_SOURCE,
          type: 'rejected',
          payload: {
            type: 'step',
            reason: expect.stringMatching(/^step refused: Tokenize & Pack/) as unknown,
          },
        },
      },
    ]);
    expect(counts).toHaveBeenLastCalledWith(expect.objectContaining({ accepted: 1, rejected: 1 }));
    expect(rejected).toHaveBeenCalledWith(expect.objectContaining({ type: 'step', foreignOrigin: null }));
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('step refused'));
    warn.mockRestore();
    connection.disconnect();
  });

  it('a schema or origin refusal is answered too, and says which origin was refused', async () => {
    const store = createLabStore();
    const w = fakeWindows();
    const rejected = vi.fn();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const connection = connectHost({
      self: w.self,
      host: w.host,
      store,
      origins: ['https://course.example'],
      onRejected: rejected,
    });
    w.send({ type: 'setTheme', payload: { theme: 'dark' } }, 'https://other.example');
    w.send({ type: 'jump' });
    w.send(42);
    await settle();
    expect(store.getState().theme).toBe('auto');
    expect(
      rejected.mock.calls.map(([r]) => [
        (r as { type: unknown }).type,
        (r as { foreignOrigin: unknown }).foreignOrigin,
      ]),
    ).toEqual([
      ['setTheme', 'https://other.example'],
      ['jump', null],
      [null, null],
    ]);
    // The answers go to the allowed origins only: a refused stranger learns nothing.
    const answers = w.posted.filter((p) => p.message.type === 'rejected');
    expect(answers.map((p) => p.origin)).toEqual([
      'https://course.example',
      'https://course.example',
      'https://course.example',
    ]);
    expect(answers[1]!.message.payload).toEqual({ type: 'jump', reason: 'unknown message type "jump"' });
    warn.mockRestore();
    connection.disconnect();
  });
});
