import { describe, expect, it } from 'vitest';
import { parseCorpus, splitSentences } from './corpus';

describe('parseCorpus', () => {
  it('reads one sentence per line and separates documents at blank lines', () => {
    const text = 'First one.\nSecond one.\n\n  \nOther doc, line one.\r\nLine two.\n';
    expect(parseCorpus(text)).toEqual([
      ['First one.', 'Second one.'],
      ['Other doc, line one.', 'Line two.'],
    ]);
  });

  it('splits a document written as one line into sentences', () => {
    expect(parseCorpus('The cat sat. Then it left! Did it return? "Yes," said Ann.')).toEqual([
      ['The cat sat.', 'Then it left!', 'Did it return?', '"Yes," said Ann.'],
    ]);
  });

  it('keeps a document with several lines as it is written, one sentence per line', () => {
    expect(parseCorpus('One. Two.\nThree.')).toEqual([['One. Two.', 'Three.']]);
  });

  it('ignores empty documents and surrounding white space', () => {
    expect(parseCorpus('\n\n   \n\nOnly this.\n\n\n')).toEqual([['Only this.']]);
    expect(parseCorpus('')).toEqual([]);
  });
});

describe('splitSentences', () => {
  it('splits only before a capital letter or an opening quote, so decimals and lower case stay joined', () => {
    expect(splitSentences('It cost 3.50 dollars. it was cheap. Really.')).toEqual([
      'It cost 3.50 dollars. it was cheap.',
      'Really.',
    ]);
  });

  it('is deliberately simple: it also splits after an abbreviation such as "Mr."', () => {
    expect(splitSentences('Mr. Smith came.')).toEqual(['Mr.', 'Smith came.']);
  });
});
