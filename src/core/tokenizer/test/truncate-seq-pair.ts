/**
 * An independent reference for pair truncation, for tests only: Google's `_truncate_seq_pair`
 * from BERT's run_classifier.py, transcribed as the loop it is, on copies of the pieces:
 *
 *     while True:
 *       total_length = len(tokens_a) + len(tokens_b)
 *       if total_length <= max_length: break
 *       if len(tokens_a) > len(tokens_b): tokens_a.pop()
 *       else: tokens_b.pop()
 *
 * Its max_length is the budget for pieces, after the 3 special tokens of `[CLS] A [SEP] B [SEP]`.
 * It shares no code with core/tokenizer/pack.ts, whose closed form it checks.
 */
export function googleTruncateSeqPair<T>(
  tokensA: readonly T[],
  tokensB: readonly T[],
  maxLength: number,
): [T[], T[]] {
  const a = [...tokensA];
  const b = [...tokensB];
  for (;;) {
    if (a.length + b.length <= maxLength) break;
    if (a.length > b.length) a.pop();
    else b.pop();
  }
  return [a, b];
}

/** `[CLS] A [SEP] B [SEP]` ids (101 and 102 in bert-base-uncased) after Google's truncation. */
export function googlePackedIds(
  idsA: readonly number[],
  idsB: readonly number[],
  maxLength: number,
): number[] {
  const [a, b] = googleTruncateSeqPair(idsA, idsB, maxLength - 3);
  return [101, ...a, 102, ...b, 102];
}
