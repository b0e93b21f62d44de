/**
 * A small corpus and a vocabulary built from it, for tests that train: a few hundred word pieces,
 * so the model is micro-sized, with some words split into `##` pieces for whole-word masking.
 */
import { Rng } from '../../math/rng';
import { CLS, MASK, PAD, SEP, UNK } from '../../tokenizer';

const SUBJECTS = ['the farmer', 'a sailor', 'my neighbour', 'the teacher', 'an old painter', 'the children'];
const VERBS = ['watched', 'repaired', 'painted', 'carried', 'remembered', 'followed', 'discovered'];
const OBJECTS = [
  'the boat',
  'a wooden fence',
  'the mountains',
  'the quiet harbour',
  'a yellow kite',
  'the bridge',
];
const ENDINGS = [
  'after lunch',
  'before sunrise',
  'with great patience',
  'in the rain',
  'without a word',
  'again',
];

/**
 * `documents` documents of `minSentences` to `minSentences + 6` sentences each, generated from
 * templates with a seeded generator, in the corpus text format (one sentence per line, a blank
 * line between documents).
 */
export function smallCorpusText(documents = 12, seed = 1, minSentences = 4): string {
  const rng = new Rng(seed);
  const pick = (list: readonly string[]): string => list[rng.int(list.length)]!;
  const docs: string[] = [];
  for (let d = 0; d < documents; d++) {
    const sentences: string[] = [];
    const count = minSentences + rng.int(7);
    for (let s = 0; s < count; s++) {
      const sentence = `${pick(SUBJECTS)} ${pick(VERBS)} ${pick(OBJECTS)} ${pick(ENDINGS)}.`;
      sentences.push(sentence[0]!.toUpperCase() + sentence.slice(1));
    }
    docs.push(sentences.join('\n'));
  }
  return docs.join('\n\n');
}

/**
 * The specials, then every lower-cased word of the templates; words longer than seven letters
 * are stored as their first four letters plus a `##` piece, so they tokenize to two pieces.
 */
export function smallVocab(): string[] {
  const words = new Set<string>();
  for (const phrase of [...SUBJECTS, ...VERBS, ...OBJECTS, ...ENDINGS])
    for (const w of phrase.split(' ')) words.add(w);
  const vocab = [PAD, UNK, CLS, SEP, MASK, '.'];
  for (const w of [...words].sort()) {
    if (w.length > 7) vocab.push(w.slice(0, 4), `##${w.slice(4)}`);
    else vocab.push(w);
  }
  return [...new Set(vocab)];
}
