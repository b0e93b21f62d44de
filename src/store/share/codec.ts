/**
 * ShareState <-> query string, driven by the schema table. Values equal to their defaults are left
 * out; sentence A and B travel as plain parameters or, when that is shorter, deflated (the
 * browser's own CompressionStream, 'deflate-raw') and base64url-encoded in `z`.
 */
import { BACKENDS, type OptimizerChoice, type PresetName } from '../../core/domain/settings';
import { fieldsOf, MAX_SENTENCE_CHARS, SCHEMA, type ShareState } from './schema';
import { oneOf, quote } from './specs';

/**
 * The longest query a link may carry. Common servers and proxies refuse request lines past 8 KiB
 * (nginx's default buffer is 8,192 bytes); 7,500 characters leaves room for the page's address.
 */
export const MAX_QUERY_LENGTH = 7_500;
/** The compressed-text parameter and the recorded backend, outside the table: they are not state. */
export const COMPRESSED_KEY = 'z';
export const BACKEND_KEY = 'be';
/**
 * Parameters that belong to other parts of the lab (the embed mode's flags): accepted and left
 * alone, without a notice. Push to it to reserve more.
 */
export const RESERVED_KEYS: string[] = ['embed', 'hide', 'origins', 'theme', 'background'];
/** A page shows at most this many notices about one link; the rest are counted. */
const MAX_NOTICES = 8;

/**
 * The default optimizer was Adam until BERT's AdamW took its place, and a link leaves out values
 * equal to the defaults, so an old link with a recipe but no `opt` meant Adam. To keep such links
 * replaying what they recorded, a link with a recipe now always names its optimizer, default or
 * not, and a recipe without `opt` is read as the old default.
 */
const LEGACY_LINK_OPTIMIZER: OptimizerChoice = 'adam';

/**
 * Likewise the default preset was micro (its own 1,000-piece vocabulary) until `lab` (bert-base-
 * uncased's 30,522 pieces) took its place: a recipe always names its preset now, and a recipe
 * without `preset` is read as micro.
 */
const LEGACY_LINK_PRESET: PresetName = 'micro';

/** Fields a recipe always carries, even at their defaults, so a later change of default cannot reread it. */
const ALWAYS_IN_RECIPE: readonly string[] = ['preset', 'optimizer'];

const TEXT_FIELDS = ['sentenceA', 'sentenceB'] as const;
/** The inflated text may hold both sentences at their cap, in UTF-8 (up to 3 bytes a UTF-16 unit), escaped. */
const MAX_INFLATED_BYTES = 2 * MAX_SENTENCE_CHARS * 9 + 1_024;
const backendSpec = oneOf(BACKENDS, 'wasm');

async function deflate(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Inflates at most `limit` bytes: a small `z` must not expand into a page-freezing text. */
async function inflate(bytes: Uint8Array<ArrayBuffer>, limit: number): Promise<Uint8Array | 'too-large'> {
  const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) {
      await reader.cancel();
      return 'too-large';
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** The query for a state: defaults left out, text compressed when that is shorter. */
export async function encodeShareQuery(
  state: ShareState,
  backend: string | null = null,
): Promise<{ query: string } | { error: string }> {
  const params = new URLSearchParams();
  const texts = new URLSearchParams();
  const fields = fieldsOf();
  const differs = new Set(
    fields
      .filter(([name, field]) => !field.spec.equals(state[name], field.spec.default))
      .map(([name]) => name),
  );
  const recipe = fields.some(([name, field]) => field.group === 'training' && differs.has(name));
  for (const [name, field] of fields) {
    const value = state[name];
    // A recipe names its preset and optimizer even at their defaults (see LEGACY_LINK_PRESET).
    if (!differs.has(name) && !(recipe && ALWAYS_IN_RECIPE.includes(name))) continue;
    const target = (TEXT_FIELDS as readonly string[]).includes(name) ? texts : params;
    target.set(field.key, field.spec.format(value));
  }
  // The backend says where the model's numbers came from; a link without a recipe has none.
  if (recipe && backend !== null && backendSpec.check(backend).ok) params.set(BACKEND_KEY, backend);

  const plain = texts.toString();
  let textPart = plain;
  if (plain.length > 0) {
    const z = toBase64Url(await deflate(new TextEncoder().encode(plain)));
    if (COMPRESSED_KEY.length + 1 + z.length < plain.length) textPart = `${COMPRESSED_KEY}=${z}`;
  }
  const query = [params.toString(), textPart].filter((part) => part !== '').join('&');
  if (query.length > MAX_QUERY_LENGTH) {
    const count = (n: number) => n.toLocaleString('en-US');
    return {
      error:
        `This state needs a link of ${count(query.length)} characters, more than the ${count(MAX_QUERY_LENGTH)} ` +
        `a link can safely carry: sentences A and B take ${count(textPart.length)} of them` +
        `${textPart === plain ? '' : ' even compressed'}. Shorten the sentences to share a link.`,
    };
  }
  return { query };
}

/** The (key, value) pairs inside `z`, or a notice saying why they cannot be read. */
async function compressedEntries(raw: string): Promise<{ entries: [string, string][] } | { notice: string }> {
  const bytes = fromBase64Url(raw.trim());
  if (!bytes)
    return { notice: `${COMPRESSED_KEY}: not base64url text; the compressed sentences were ignored.` };
  let inflated: Uint8Array | 'too-large';
  try {
    inflated = await inflate(bytes, MAX_INFLATED_BYTES);
  } catch {
    return {
      notice: `${COMPRESSED_KEY}: not deflate-compressed data; the compressed sentences were ignored.`,
    };
  }
  if (inflated === 'too-large')
    return {
      notice: `${COMPRESSED_KEY}: the compressed sentences expand past the lab's limit and were ignored.`,
    };
  let decoded: string;
  try {
    decoded = new TextDecoder('utf-8', { fatal: true }).decode(inflated);
  } catch {
    return { notice: `${COMPRESSED_KEY}: the compressed sentences are not UTF-8 text and were ignored.` };
  }
  const textKeys = new Set(TEXT_FIELDS.map((name) => SCHEMA[name].key));
  const entries = [...new URLSearchParams(decoded).entries()];
  const stray = entries.filter(([key]) => !textKeys.has(key));
  if (stray.length > 0)
    return { notice: `${COMPRESSED_KEY}: holds ${quote(stray[0]![0])}, not only sentences; it was ignored.` };
  return { entries };
}

/**
 * Reads a query string. Every problem becomes a notice and the parameter is left out: a link can
 * never crash the page nor put an out-of-bounds value in the store.
 */
export async function decodeShareQuery(
  search: string,
): Promise<{ state: Partial<ShareState>; notices: string[]; backend: string | null }> {
  const notices: string[] = [];
  const state: Partial<ShareState> = {};
  let backend: string | null = null;
  const byKey = new Map(fieldsOf().map(([name, field]) => [field.key, { name, field }]));
  const entries = [...new URLSearchParams(search.startsWith('?') ? search.slice(1) : search).entries()];
  const z = entries.filter(([key]) => key === COMPRESSED_KEY);
  if (z.length > 0) {
    const inner = await compressedEntries(z[0]![1]);
    if ('notice' in inner) notices.push(inner.notice);
    else entries.push(...inner.entries);
  }
  const seen = new Set<string>();
  for (const [key, raw] of entries) {
    if (RESERVED_KEYS.includes(key)) continue;
    if (seen.has(key)) {
      notices.push(`${quote(key)} appears more than once; the first value was used.`);
      continue;
    }
    seen.add(key);
    if (key === COMPRESSED_KEY) continue;
    if (key === BACKEND_KEY) {
      const checked = backendSpec.parse(raw);
      if (checked.ok) backend = checked.value;
      else notices.push(`${BACKEND_KEY}: ${checked.notice}; the recorded backend was ignored.`);
      continue;
    }
    const known = byKey.get(key);
    if (!known) {
      notices.push(`Unknown parameter ${quote(key)} was ignored.`);
      continue;
    }
    const checked = known.field.spec.parse(raw);
    if (!checked.ok) {
      notices.push(`${key}: ${checked.notice}; the default was kept.`);
      continue;
    }
    if (checked.notice) notices.push(`${key}: ${checked.notice}.`);
    (state as Record<string, unknown>)[known.name] = checked.value;
  }
  if (fieldsOf('training').some(([name]) => state[name] !== undefined)) {
    state.optimizer ??= LEGACY_LINK_OPTIMIZER;
    state.preset ??= LEGACY_LINK_PRESET;
  }
  return { state, notices: capNotices(notices), backend };
}

/** At most MAX_NOTICES notices, the last saying how many more there were. */
export function capNotices(notices: string[]): string[] {
  if (notices.length <= MAX_NOTICES) return notices;
  const more = notices.length - (MAX_NOTICES - 1);
  return [...notices.slice(0, MAX_NOTICES - 1), `…and ${more} more problems with this link.`];
}
