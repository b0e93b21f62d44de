import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createLabStore } from '../labStore';
import { DEFAULT_SENTENCE_A } from '../packSlice';
import { fromBase64Url, toBase64Url } from './codec';
import { shareParameterRows } from './schema';
import {
  applyShareState,
  decodeShareQuery,
  DEFAULT_SHARE_STATE,
  encodeShareQuery,
  hasTrainingFields,
  MAX_QUERY_LENGTH,
  RESERVED_KEYS,
  shareStateOf,
  validateShareState,
  withViewDefaults,
  type ShareState,
} from './state';

const custom: ShareState = {
  view: 'train',
  sentenceA: 'Unaffable café time!',
  sentenceB: '',
  maxLength: 64,
  vocab: 'bert-base-uncased',
  preset: 'bert-tiny',
  seed: 7,
  optimizer: 'lazyadam',
  learningRate: 0.0025,
  tieOutputEmbeddings: false,
  batchSize: 4,
  seqLength: 48,
  step: 12,
  position: 3,
  chapter: 'adam',
  picks: ['##ing', ',', 'three', 'monday'],
  focus: 'three',
  k: 25,
  centred: false,
};

async function query(state: ShareState, backend: string | null = null): Promise<string> {
  const encoded = await encodeShareQuery(state, backend);
  if ('error' in encoded) throw new Error(encoded.error);
  return encoded.query;
}

/** A sentence of real words that does not repeat, so it compresses only as text does. */
function prose(words: number): string {
  const vocabulary = [
    'the',
    'embedding',
    'of',
    'rare',
    'words',
    'splits',
    'into',
    'pieces',
    'while',
    'frequent',
  ];
  let seed = 1;
  return Array.from({ length: words }, () => {
    seed = (seed * 16807) % 2147483647;
    return `${vocabulary[seed % vocabulary.length]}${seed % 97}`;
  }).join(' ');
}

describe('share state: the Learned rows view', () => {
  it('carries the picks (with "," and "##" pieces), the focus, k and centred through a link', async () => {
    const q = await query({
      ...DEFAULT_SHARE_STATE,
      view: 'learned',
      picks: ['##ing', ',', 'two'],
      focus: ',',
      k: 5,
      centred: false,
    });
    expect(q).toContain('view=learned');
    const decoded = await decodeShareQuery(`?${q}`);
    expect(decoded.notices).toEqual([]);
    const store = createLabStore();
    await applyShareState(store, withViewDefaults(decoded.state));
    const s = store.getState();
    expect(s.view).toBe('learned');
    expect(s.learnedPicks).toEqual(['##ing', ',', 'two']);
    expect(s.learnedFocus).toBe(',');
    expect(s.learnedK).toBe(5);
    expect(s.learnedCentred).toBe(false);
    expect(shareStateOf(s)).toMatchObject({ picks: ['##ing', ',', 'two'], focus: ',', k: 5, centred: false });
  });

  it('bounds the picks: too many keeps the last 12 with a notice, an overlong piece is refused', async () => {
    const many = Array.from({ length: 15 }, (_, i) => `p${i}`).join('+');
    const decoded = await decodeShareQuery(`?picks=${many}&k=900`);
    expect(decoded.state.picks).toHaveLength(12);
    expect(decoded.state.picks?.[0]).toBe('p3');
    expect(decoded.state.k).toBe(50);
    expect(decoded.notices.join(' ')).toContain('the last 12 were kept');
    const long = await decodeShareQuery(`?picks=${'x'.repeat(101)}`);
    expect(long.state.picks).toBeUndefined();
    expect(long.notices.join(' ')).toContain('longer than a word piece');
  });

  it('a link without picks opens with the default picks, not the page’s', async () => {
    const store = createLabStore();
    store.getState().pickPiece('zebra');
    await applyShareState(store, withViewDefaults({ view: 'learned' }));
    expect(store.getState().learnedPicks).toEqual([...DEFAULT_SHARE_STATE.picks]);
    expect(store.getState().learnedFocus).toBe('the');
  });
});

describe('share state codec', () => {
  it('round-trips every field through the query', async () => {
    const q = await query(custom, 'wasm');
    const decoded = await decodeShareQuery(`?${q}`);
    expect(decoded.notices).toEqual([]);
    expect(decoded.backend).toBe('wasm');
    // vocab is at its default, so the link leaves it out.
    expect(decoded.state).toEqual({ ...custom, vocab: undefined });
    expect({ ...DEFAULT_SHARE_STATE, ...decoded.state }).toEqual(custom);
  });

  it('leaves out values equal to the defaults, so the default state is an empty query', async () => {
    expect(await query(DEFAULT_SHARE_STATE)).toBe('');
    const q = await query({ ...DEFAULT_SHARE_STATE, sentenceB: '', view: 'sum' });
    expect(q).toBe('view=sum&b=');
    expect((await decodeShareQuery(q)).state).toEqual({ view: 'sum', sentenceB: '' });
  });

  it('names the preset and optimizer in every link with a training recipe, even the defaults lab and AdamW', async () => {
    const q = await query({ ...DEFAULT_SHARE_STATE, seed: 5, view: 'sum' });
    expect(q).toBe('view=sum&preset=lab&seed=5&opt=adamw');
    expect((await decodeShareQuery(q)).state).toEqual({
      view: 'sum',
      preset: 'lab',
      seed: 5,
      optimizer: 'adamw',
    });
    // A change of preset alone is a recipe too.
    expect(await query({ ...DEFAULT_SHARE_STATE, preset: 'micro' })).toBe('preset=micro&opt=adamw');
  });

  it('replays a recipe link without opt or preset, made when Adam and micro were the defaults, with them', async () => {
    expect(DEFAULT_SHARE_STATE.optimizer).toBe('adamw');
    expect(DEFAULT_SHARE_STATE.preset).toBe('lab');
    expect((await decodeShareQuery('seed=5&step=20')).state).toEqual({
      seed: 5,
      step: 20,
      optimizer: 'adam',
      preset: 'micro',
    });
    // A link that names them keeps them.
    expect((await decodeShareQuery('preset=bert-tiny&opt=sgd&step=2')).state).toEqual({
      preset: 'bert-tiny',
      optimizer: 'sgd',
      step: 2,
    });
    // A link with nothing of the model's recipe starts no training, so it gets no optimizer.
    expect((await decodeShareQuery('view=train&a=Hi')).state).toEqual({ view: 'train', sentenceA: 'Hi' });
  });

  it('records a known backend, only alongside a training recipe', async () => {
    const trained = { ...DEFAULT_SHARE_STATE, step: 3 };
    expect(await query(trained, 'webgpu')).toBe('preset=lab&opt=adamw&step=3&be=webgpu');
    expect(await query(trained, 'not-a-backend')).toBe('preset=lab&opt=adamw&step=3');
    expect(await query(DEFAULT_SHARE_STATE, 'webgpu')).toBe('');
  });

  it('keeps short sentences readable and compresses long ones into z', async () => {
    const short = await query({ ...DEFAULT_SHARE_STATE, sentenceA: 'Hello world' });
    expect(short).toBe('a=Hello+world');

    const long = prose(1_500);
    const q = await query({ ...DEFAULT_SHARE_STATE, sentenceA: long, sentenceB: long.slice(0, 300) });
    expect(q).toMatch(/^z=[A-Za-z0-9_-]+$/);
    expect(q.length).toBeLessThan(new URLSearchParams({ a: long }).toString().length / 2);
    const decoded = await decodeShareQuery(q);
    expect(decoded.notices).toEqual([]);
    expect(decoded.state).toEqual({ sentenceA: long, sentenceB: long.slice(0, 300) });
  });

  it('round-trips text with every kind of character', async () => {
    const sentenceA = 'naïveté 你好 🙂 a&b=c?d#e%f+g\n\ttab';
    const decoded = await decodeShareQuery(await query({ ...DEFAULT_SHARE_STATE, sentenceA, sentenceB: '' }));
    expect(decoded.state).toEqual({ sentenceA, sentenceB: '' });
  });

  it('refuses, in words, a state whose text is too long for a link', async () => {
    const huge = prose(20_000);
    const encoded = await encodeShareQuery({ ...DEFAULT_SHARE_STATE, sentenceA: huge });
    expect('error' in encoded && encoded.error).toMatch(/more than the 7,500 .*even compressed.*Shorten/);
  });

  it('never returns a query longer than the limit', async () => {
    for (const words of [500, 1_000, 2_000, 4_000]) {
      const encoded = await encodeShareQuery({ ...DEFAULT_SHARE_STATE, sentenceA: prose(words) });
      if ('query' in encoded) expect(encoded.query.length).toBeLessThanOrEqual(MAX_QUERY_LENGTH);
    }
  });
});

describe('decoding untrusted links', () => {
  it('clamps numbers to their bounds with a notice', async () => {
    const { state, notices } = await decodeShareQuery('max=99999&step=-5&seed=1e20&lr=5&batch=0');
    expect(state).toEqual({
      maxLength: 512,
      step: 0,
      seed: 2 ** 32 - 1,
      learningRate: 1,
      batchSize: 1,
      optimizer: 'adam',
      preset: 'micro',
    });
    expect(notices).toHaveLength(5);
    expect(notices[0]).toMatch(/^max: "99999" is above 512; using 512/);
    expect(notices[1]).toMatch(/^step: "-5" is below 0; using 0/);
  });

  it('caps the step a link trains to at 2,000', async () => {
    const { state, notices } = await decodeShareQuery('step=1000000');
    expect(state.step).toBe(2_000);
    expect(notices).toHaveLength(1);
  });

  it('ignores malformed values with a notice and keeps the default', async () => {
    const { state, notices } = await decodeShareQuery(
      'view=nowhere&seed=abc&max=12.5&tie=maybe&opt=rmsprop&lr=0x10&pos=-&be=tpu',
    );
    expect(state).toEqual({});
    expect(notices).toHaveLength(8);
    expect((await decodeShareQuery('preset=&batch=')).notices).toHaveLength(2);
    expect(notices.join('\n')).toMatch(
      /view: "nowhere" is not one of pack, vocab, train, sum, learned, lesson; the default was kept/,
    );
    expect(notices.join('\n')).toMatch(/be: "tpu" is not one of webgpu, webgl, wasm, cpu/);
  });

  it('ignores unknown keys with a notice, and the reserved embed keys silently', async () => {
    const { state, notices } = await decodeShareQuery('?embed=pack&hide=inputs&origins=x&foo=1&view=sum');
    expect(state).toEqual({ view: 'sum' });
    expect(notices).toEqual(['Unknown parameter "foo" was ignored.']);
    expect(RESERVED_KEYS).toEqual(expect.arrayContaining(['embed', 'hide', 'origins']));
  });

  it('uses the first of repeated keys, with a notice', async () => {
    const { state, notices } = await decodeShareQuery('seed=1&seed=2&opt=sgd');
    expect(state).toEqual({ seed: 1, optimizer: 'sgd', preset: 'micro' });
    expect(notices).toEqual(['"seed" appears more than once; the first value was used.']);
  });

  it('cuts sentences to 100,000 characters with a notice', async () => {
    const { state, notices } = await decodeShareQuery(`a=${'x'.repeat(100_050)}`);
    expect(state.sentenceA).toHaveLength(100_000);
    expect(notices[0]).toMatch(/100,050 characters is more than 100,000/);
  });

  it('ignores a corrupt, foreign or oversized z with a notice', async () => {
    const bad = [
      'z=%%%',
      `z=${toBase64Url(new TextEncoder().encode('not deflate at all'))}`,
      `z=${await deflated('view=sum')}`,
      `z=${await deflated(`a=${'a'.repeat(2_000_000)}`)}`,
    ];
    for (const q of bad) {
      const { state, notices } = await decodeShareQuery(q);
      expect(state).toEqual({});
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatch(/^z: .*ignored\.$/);
    }
  });

  it('shows at most eight notices for a link full of garbage', async () => {
    const garbage = Array.from({ length: 50 }, (_, i) => `junk${i}=${i}`).join('&');
    const { notices } = await decodeShareQuery(garbage);
    expect(notices).toHaveLength(8);
    expect(notices[7]).toBe('…and 43 more problems with this link.');
  });

  it('base64url round-trips every byte value', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(fromBase64Url(toBase64Url(bytes))).toEqual(bytes);
    expect(fromBase64Url('a+b/')).toBeNull();
  });
});

async function deflated(text: string): Promise<string> {
  const stream = new Blob([new TextEncoder().encode(text)])
    .stream()
    .pipeThrough(new CompressionStream('deflate-raw'));
  return toBase64Url(new Uint8Array(await new Response(stream).arrayBuffer()));
}

describe('validateShareState (postMessage payloads)', () => {
  it('accepts typed values by field name', () => {
    expect(validateShareState({ view: 'sum', seed: 3, tieOutputEmbeddings: false, position: null })).toEqual({
      state: { view: 'sum', seed: 3, tieOutputEmbeddings: false, position: null },
      notices: [],
    });
  });

  it('drops unknown keys and wrongly typed values, and bounds the rest', () => {
    const { state, notices } = validateShareState({
      seed: '3',
      step: 1e9,
      sentenceA: 42,
      __proto__: { view: 'sum' },
      constructor: 'x',
      html: '<img src=x onerror=alert(1)>',
    });
    expect(state).toEqual({ step: 2_000 });
    expect(Object.getPrototypeOf(state)).toBe(Object.prototype);
    expect(notices).toHaveLength(5);
  });

  it('refuses anything that is not an object', () => {
    for (const input of [null, 3, 'view=sum', [1, 2], undefined]) {
      const { state, notices } = validateShareState(input);
      expect(state).toEqual({});
      expect(notices).toHaveLength(1);
    }
  });
});

describe('state <-> store', () => {
  it('reads the defaults of a fresh store as the default state', () => {
    expect(shareStateOf(createLabStore().getState())).toEqual(DEFAULT_SHARE_STATE);
  });

  it('shares a half-typed max length as the default', () => {
    const store = createLabStore({ maxLengthInput: '1' });
    expect(shareStateOf(store.getState()).maxLength).toBe(128);
  });

  it('tells training fields from what is on show', () => {
    expect(hasTrainingFields({ view: 'train', sentenceA: 'x', position: 2 })).toBe(false);
    expect(hasTrainingFields({ step: 0 })).toBe(true);
    expect(hasTrainingFields({ seed: 42 })).toBe(true);
  });

  it('applies what is on show to the store, without starting the engine', async () => {
    const store = createLabStore();
    const notices: string[] = [];
    await applyShareState(
      store,
      { view: 'sum', sentenceA: 'Hi', sentenceB: '', maxLength: 16, position: 4, vocab: 'learned' },
      { onNotice: (n) => notices.push(n) },
    );
    const s = store.getState();
    expect([s.view, s.sentenceA, s.sentenceB, s.maxLengthInput, s.sumPosition]).toEqual([
      'sum',
      'Hi',
      '',
      '16',
      4,
    ]);
    // No vocabulary was learned in this store: the link's choice falls back, and says so.
    expect(s.packVocab).toBe('bert');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/cannot travel in a link.*bert-base-uncased/);
    expect(s.training.status).toBe('idle');
  });

  it('fills what a link leaves out with the defaults', () => {
    expect(withViewDefaults({ view: 'sum' })).toMatchObject({
      view: 'sum',
      sentenceA: DEFAULT_SENTENCE_A,
      maxLength: 128,
    });
    expect(hasTrainingFields(withViewDefaults({}))).toBe(false);
  });
});

describe('the README', () => {
  it('lists every parameter as the schema table defines it', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const section = readme.split('## Sharing a link')[1]?.split('\n## ')[0] ?? '';
    const rows = section
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .map((line) => line.split(' | ').map((cell) => cell.replace(/^\|/, '').replace(/\|$/, '').trim()));
    expect(rows).toEqual(shareParameterRows());
  });
});
