/**
 * The vocabulary as a trie with LinMaxMatch failure links and failure pops (Song et al.,
 * "Fast WordPiece Tokenization", EMNLP 2021), so that WordPiece runs in time linear in the text.
 *
 * Every token is a path from the root: "the" as t-h-e, "##ing" as #-#-i-n-g. The node reached by
 * "##" is r♯, the root of all continuation pieces. For each node v, spelling str(v):
 *   - the failure pops F(v) are the tokens that greedy longest-match-first emits from str(v)
 *     before what is left of it can only continue as a "##" piece;
 *   - the failure link f(v) is the node that spells "##" + that remainder.
 * So when the next character has no edge from v, the matcher emits F(v) and jumps to f(v) instead
 * of backing up and rescanning - the Aho-Corasick idea applied to longest-match-first. If f(v) does
 * not exist, no tokenization of the word exists and the whole word becomes [UNK].
 *
 * The trie is stored flat (CSR): node ids in breadth-first order, each node's outgoing edges
 * contiguous and sorted by UTF-16 code unit. Breadth-first order is also the order the failure
 * links must be computed in, since f(v) depends on f(parent(v)).
 */
import { CONTINUATION_PREFIX } from './specials';
import type { Vocab } from './vocab';

export const NONE = -1;

export interface WordPieceTrie {
  readonly nodeCount: number;
  /** Edges of node v are edgeChar/edgeTarget[edgeStart[v] .. edgeStart[v + 1]). */
  readonly edgeStart: Int32Array;
  readonly edgeChar: Uint16Array;
  readonly edgeTarget: Int32Array;
  /** The token id spelled by the path to v, or NONE. */
  readonly tokenId: Int32Array;
  readonly failLink: Int32Array;
  /** F(v) is failPops[failPopStart[v] .. failPopStart[v + 1]). */
  readonly failPopStart: Int32Array;
  readonly failPops: Int32Array;
  /** r♯, the node spelling "##". */
  readonly suffixRoot: number;
  /**
   * Dense child tables for the two busiest nodes, indexed by code unit: every word starts at the
   * root and every failure lands on r♯, and both have thousands of edges.
   */
  readonly rootChild: Int32Array;
  readonly suffixChild: Int32Array;
  /** Per token id: its length in UTF-16 units without the "##" prefix (the text it covers). */
  readonly coveredLength: Int32Array;
  /** Bytes held by the typed arrays above. */
  readonly bytes: number;
}

/** The child of `node` along code unit `c`, or NONE (binary search over the sorted edges). */
export function child(trie: WordPieceTrie, node: number, c: number): number {
  if (node === 0) return trie.rootChild[c]!;
  if (node === trie.suffixRoot) return trie.suffixChild[c]!;
  return searchEdges(trie, node, c);
}

function searchEdges(
  trie: Pick<WordPieceTrie, 'edgeStart' | 'edgeChar' | 'edgeTarget'>,
  node: number,
  c: number,
): number {
  let lo = trie.edgeStart[node]!;
  let hi = trie.edgeStart[node + 1]! - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const midChar = trie.edgeChar[mid]!;
    if (midChar < c) lo = mid + 1;
    else if (midChar > c) hi = mid - 1;
    else return trie.edgeTarget[mid]!;
  }
  return NONE;
}

/** A growable Int32Array. */
class IntList {
  data: Int32Array;
  length = 0;
  constructor(capacity: number) {
    this.data = new Int32Array(Math.max(16, capacity));
  }
  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }
  toArray(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

const trieCache = new WeakMap<Vocab, WordPieceTrie>();

/** Builds the trie of a vocabulary once; later calls with the same vocabulary reuse it. */
export function trieFor(vocab: Vocab): WordPieceTrie {
  let trie = trieCache.get(vocab);
  if (!trie) {
    trie = buildTrie(vocab);
    trieCache.set(vocab, trie);
  }
  return trie;
}

/** The flat edges of the trie, and for each node its parent, the code unit into it and its token. */
interface TrieSkeleton {
  readonly nodeCount: number;
  readonly edgeStart: Int32Array;
  readonly edgeChar: Uint16Array;
  readonly edgeTarget: Int32Array;
  readonly tokenId: Int32Array;
  readonly parent: Int32Array;
  readonly parentChar: Int32Array;
}

export function buildTrie(vocab: Vocab): WordPieceTrie {
  const skeleton = buildSkeleton(vocab);
  const lookup = (node: number, c: number) => searchEdges(skeleton, node, c);
  const hash = CONTINUATION_PREFIX.charCodeAt(0);
  const suffixRoot = lookup(lookup(0, hash), CONTINUATION_PREFIX.charCodeAt(1));
  const { failLink, failPopStart, failPops } = buildFailures(skeleton, suffixRoot);
  const coveredLength = Int32Array.from(vocab.tokens, (token) =>
    token.startsWith(CONTINUATION_PREFIX) ? token.length - CONTINUATION_PREFIX.length : token.length,
  );
  const trie = {
    nodeCount: skeleton.nodeCount,
    edgeStart: skeleton.edgeStart,
    edgeChar: skeleton.edgeChar,
    edgeTarget: skeleton.edgeTarget,
    rootChild: denseChildren(skeleton, 0),
    suffixChild: denseChildren(skeleton, suffixRoot),
    tokenId: skeleton.tokenId,
    failLink,
    failPopStart,
    failPops,
    suffixRoot,
    coveredLength,
    bytes: 0,
  };
  trie.bytes = [
    trie.edgeStart,
    trie.edgeChar,
    trie.edgeTarget,
    trie.tokenId,
    trie.failLink,
    trie.failPopStart,
    trie.failPops,
    trie.coveredLength,
    trie.rootChild,
    trie.suffixChild,
  ].reduce((sum, a) => sum + a.byteLength, 0);
  return trie;
}

/** The nodes and edges, breadth-first, so that node ids are also the order failures need. */
function buildSkeleton(vocab: Vocab): TrieSkeleton {
  // Keys sorted by code units, so every node's keys form one contiguous range and its children
  // come out grouped and in order. "##" is added (as no token) so that r♯ always exists.
  const keys = [...vocab.ids.keys()];
  if (!vocab.ids.has(CONTINUATION_PREFIX)) keys.push(CONTINUATION_PREFIX);
  keys.sort(); // the default order compares UTF-16 code units, which is the order we need

  const edgeStart = new IntList(keys.length * 2);
  const edgeChar = new IntList(keys.length * 2);
  const edgeTarget = new IntList(keys.length * 2);
  const tokenId = new IntList(keys.length * 2);
  const parent = new IntList(keys.length * 2);
  const parentChar = new IntList(keys.length * 2);
  // Breadth-first construction: a queue of (node, key range [lo, hi), depth).
  const queueLo = new IntList(keys.length * 2);
  const queueHi = new IntList(keys.length * 2);
  const queueDepth = new IntList(keys.length * 2);

  const addNode = (from: number, c: number, lo: number, hi: number, depth: number): number => {
    const id = tokenId.length;
    tokenId.push(NONE);
    parent.push(from);
    parentChar.push(c);
    queueLo.push(lo);
    queueHi.push(hi);
    queueDepth.push(depth);
    return id;
  };
  addNode(NONE, 0, 0, keys.length, 0);

  for (let node = 0; node < tokenId.length; node++) {
    let lo = queueLo.data[node]!;
    const hi = queueHi.data[node]!;
    const depth = queueDepth.data[node]!;
    edgeStart.push(edgeChar.length);
    // The key that ends here, if any, sorts first in the range.
    if (lo < hi && keys[lo]!.length === depth) {
      tokenId.data[node] = vocab.ids.get(keys[lo]!) ?? NONE;
      lo++;
    }
    while (lo < hi) {
      const c = keys[lo]!.charCodeAt(depth);
      let end = lo + 1;
      while (end < hi && keys[end]!.charCodeAt(depth) === c) end++;
      edgeChar.push(c);
      edgeTarget.push(addNode(node, c, lo, end, depth + 1));
      lo = end;
    }
  }
  edgeStart.push(edgeChar.length);
  return {
    nodeCount: tokenId.length,
    edgeStart: edgeStart.toArray(),
    edgeChar: Uint16Array.from(edgeChar.toArray()),
    edgeTarget: edgeTarget.toArray(),
    tokenId: tokenId.toArray(),
    // Read only while the failures are built: the growable buffers serve as they are.
    parent: parent.data,
    parentChar: parentChar.data,
  };
}

/**
 * Failure links and pops, in breadth-first (= id) order. For v = child(u, c):
 *   - if str(v) is a token, greedy matching takes it whole: F(v) = [v's token], f(v) = r♯;
 *   - otherwise follow u's failure chain, collecting pops, until a node z has an edge c:
 *     F(v) = F(u) + F(f(u)) + ... , f(v) = child(z, c); if the chain runs out, f(v) = NONE.
 * The root and r♯ have no failure link: failing there means the word cannot be tokenized.
 */
function buildFailures(
  skeleton: TrieSkeleton,
  suffixRoot: number,
): Pick<WordPieceTrie, 'failLink' | 'failPopStart' | 'failPops'> {
  const { nodeCount, tokenId, parent, parentChar } = skeleton;
  const failLink = new Int32Array(nodeCount).fill(NONE);
  const failPopStart = new Int32Array(nodeCount + 1);
  const failPops = new IntList(nodeCount);
  for (let v = 0; v < nodeCount; v++) {
    failPopStart[v] = failPops.length;
    if (v === 0 || v === suffixRoot) continue;
    const token = tokenId[v]!;
    if (token !== NONE) {
      failLink[v] = suffixRoot;
      failPops.push(token);
      continue;
    }
    // F(v) is written straight into the pool and rolled back if the chain runs out.
    const u = parent[v]!;
    const c = parentChar[v]!;
    for (let k = failPopStart[u]!; k < failPopStart[u + 1]!; k++) failPops.push(failPops.data[k]!);
    let z = failLink[u]!;
    let next = z === NONE ? NONE : searchEdges(skeleton, z, c);
    while (z !== NONE && next === NONE) {
      for (let k = failPopStart[z]!; k < failPopStart[z + 1]!; k++) failPops.push(failPops.data[k]!);
      z = failLink[z]!;
      next = z === NONE ? NONE : searchEdges(skeleton, z, c);
    }
    if (z === NONE) failPops.length = failPopStart[v]!;
    else failLink[v] = next;
  }
  failPopStart[nodeCount] = failPops.length;
  return { failLink, failPopStart, failPops: failPops.toArray() };
}

/** A child table indexed by code unit, for a node with many edges. */
function denseChildren(skeleton: TrieSkeleton, node: number): Int32Array {
  const table = new Int32Array(0x10000).fill(NONE);
  for (let e = skeleton.edgeStart[node]!; e < skeleton.edgeStart[node + 1]!; e++) {
    table[skeleton.edgeChar[e]!] = skeleton.edgeTarget[e]!;
  }
  return table;
}
