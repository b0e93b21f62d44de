/**
 * End-to-end linear WordPiece (Song et al. 2021, "E2E WordPiece"): one left-to-right pass over the
 * normalized text that both splits it into words (on whitespace and punctuation, as BertPreTokenizer
 * does) and runs LinMaxMatch on each word through the trie's failure links. Each code unit is
 * consumed once and each emitted token is popped once, so the pass is linear in the text.
 *
 * It produces exactly what `preTokenize` + greedy `wordPiece` produce; the golden fixtures and a
 * property test hold it to that.
 */
import { MAX_INPUT_CHARS_PER_WORD, UNK } from './specials';
import { child, NONE, trieFor, type WordPieceTrie } from './trie';
import { classBits, PUNCT, SPACE } from './unicode';
import type { Vocab } from './vocab';

/** Words and pieces as parallel arrays; offsets are UTF-16 units of the normalized text. */
export interface PiecePass {
  readonly wordCount: number;
  readonly wordStart: Int32Array;
  readonly wordEnd: Int32Array;
  readonly pieceCount: number;
  readonly pieceId: Int32Array;
  readonly pieceStart: Int32Array;
  readonly pieceEnd: Int32Array;
  readonly pieceWord: Int32Array;
}

class Columns {
  size = 0;
  constructor(public columns: Int32Array[]) {}
  push4(a: number, b: number, c: number, d: number): void {
    this.ensure();
    const columns = this.columns;
    columns[0]![this.size] = a;
    columns[1]![this.size] = b;
    columns[2]![this.size] = c;
    columns[3]![this.size] = d;
    this.size++;
  }
  push2(a: number, b: number): void {
    this.ensure();
    this.columns[0]![this.size] = a;
    this.columns[1]![this.size] = b;
    this.size++;
  }
  private ensure(): void {
    if (this.size < this.columns[0]!.length) return;
    this.columns = this.columns.map((col) => {
      const grown = new Int32Array(col.length * 2);
      grown.set(col);
      return grown;
    });
  }
}

/**
 * The matcher's state lives in fields of one object rather than in locals captured by closures:
 * V8 keeps captured, reassigned locals in a heap context, which made this hot loop ~2x slower.
 */
class Matcher {
  readonly words: Columns;
  readonly pieces: Columns;
  wordStart = NONE;
  node = 0;
  tokenStart = 0; // where the next emitted token begins
  codePoints = 0;
  failed = false; // no tokenization exists (or the word is too long): it becomes [UNK]
  firstPiece = 0; // pieces.size when the word began, to roll back on failure

  constructor(
    readonly trie: WordPieceTrie,
    readonly unkId: number,
    estimate: number,
  ) {
    this.words = new Columns([new Int32Array(estimate), new Int32Array(estimate)]);
    this.pieces = new Columns([0, 0, 0, 0].map(() => new Int32Array(estimate)));
  }

  beginWord(at: number): void {
    this.wordStart = at;
    this.node = 0;
    this.tokenStart = at;
    this.codePoints = 0;
    this.failed = false;
    this.firstPiece = this.pieces.size;
  }

  /** Emits F(v): each popped token covers the next coveredLength units of the word. */
  popFailure(v: number): void {
    const { failPopStart, failPops, coveredLength } = this.trie;
    for (let k = failPopStart[v]!; k < failPopStart[v + 1]!; k++) {
      const id = failPops[k]!;
      const end = this.tokenStart + coveredLength[id]!;
      this.pieces.push4(id, this.tokenStart, end, this.words.size);
      this.tokenStart = end;
    }
  }

  /**
   * LinMaxMatch on one code unit: follow its edge; where there is none, emit the failure pops and
   * take the failure link, until an edge exists or no tokenization is possible.
   */
  feed(c: number): void {
    const trie = this.trie;
    let node = this.node;
    let next = child(trie, node, c);
    while (next === NONE) {
      if (trie.failLink[node] === NONE) {
        this.failed = true;
        return;
      }
      this.popFailure(node);
      node = trie.failLink[node]!;
      next = child(trie, node, c);
    }
    this.node = next;
  }

  endWord(at: number): void {
    const { failLink, suffixRoot } = this.trie;
    // Whatever is left of the word must tokenize completely: pop until only r♯ remains.
    while (!this.failed && this.node !== suffixRoot && this.node !== 0) {
      if (failLink[this.node] === NONE) this.failed = true;
      else {
        this.popFailure(this.node);
        this.node = failLink[this.node]!;
      }
    }
    if (this.failed || this.codePoints > MAX_INPUT_CHARS_PER_WORD) {
      this.pieces.size = this.firstPiece;
      this.pieces.push4(this.unkId, this.wordStart, at, this.words.size);
    }
    this.words.push2(this.wordStart, at);
    this.wordStart = NONE;
  }
}

export function fastWordPieces(normalized: string, vocab: Vocab): PiecePass {
  const m = new Matcher(trieFor(vocab), vocab.special[UNK], Math.max(16, normalized.length >> 2));
  for (let i = 0; i < normalized.length;) {
    const cp = normalized.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const bits = cp === 0x20 ? SPACE : classBits(cp);
    if (bits & (SPACE | PUNCT)) {
      if (m.wordStart !== NONE) m.endWord(i);
      if (bits & SPACE) {
        i += width;
        continue;
      }
    }
    if (m.wordStart === NONE) m.beginWord(i);
    if (++m.codePoints > MAX_INPUT_CHARS_PER_WORD) m.failed = true;
    if (!m.failed) m.feed(normalized.charCodeAt(i));
    if (width === 2 && !m.failed) m.feed(normalized.charCodeAt(i + 1));
    i += width;
    if (bits & PUNCT) m.endWord(i); // punctuation is a word of its own
  }
  if (m.wordStart !== NONE) m.endWord(normalized.length);

  const [wordStart, wordEnd] = m.words.columns;
  const [pieceId, pieceStart, pieceEnd, pieceWord] = m.pieces.columns;
  return {
    wordCount: m.words.size,
    wordStart: wordStart!,
    wordEnd: wordEnd!,
    pieceCount: m.pieces.size,
    pieceId: pieceId!,
    pieceStart: pieceStart!,
    pieceEnd: pieceEnd!,
    pieceWord: pieceWord!,
  };
}
