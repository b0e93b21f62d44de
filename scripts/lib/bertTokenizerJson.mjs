// bert-base-uncased's tokenizer.json, built in memory around our converted vocab.txt, for the
// Hugging Face reference tokenizers: the Rust binding (`tokenizers`, golden fixtures) and the
// pure-JS `@huggingface/tokenizers` (benchmark). Both are devDependencies only.
import { readFileSync } from 'node:fs';

const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];

export function readVocab(path) {
  const lines = readFileSync(path, 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  if (lines.length !== 30522) throw new Error(`${path}: expected 30,522 tokens, got ${lines.length}`);
  /** @type {Record<string, number>} */
  const vocab = {};
  lines.forEach((token, id) => {
    vocab[token] = id;
  });
  return vocab;
}

/** The tokenizer.json of bert-base-uncased, with the vocabulary filled in. */
export function bertUncasedConfig(vocab) {
  const added = (content) => ({
    id: vocab[content],
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  const special = (id) => ({ SpecialToken: { id, type_id: 0 } });
  const sequence = (id, typeId) => ({ Sequence: { id, type_id: typeId } });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map(added),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [special('[CLS]'), sequence('A', 0), special('[SEP]')],
      pair: [
        special('[CLS]'),
        sequence('A', 0),
        special('[SEP]'),
        sequence('B', 1),
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [101], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [102], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab,
    },
  };
}
