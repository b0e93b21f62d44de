import {
  approximateGain,
  MERGE_SCORES,
  scoresOf,
  type MergeScore,
  type MergeStep,
} from '../../core/tokenizer/train';

const number = (n: number) => n.toLocaleString('en-US');
const percent = (x: number) => `${(100 * x).toFixed(x >= 0.995 || x < 0.001 ? 0 : 1)}%`;

/** A score's value the way its row and the recent-merges list print it. */
export function formatScore(kind: MergeScore, value: number): string {
  if (kind === 'bpe') return number(value);
  if (kind === 'likelihood') return `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(2)} nats`;
  return value >= 0.01 ? value.toFixed(4) : value.toExponential(3);
}

const ROW_NAMES: Readonly<Record<MergeScore, string>> = {
  likelihood: 'WordPiece likelihood gain, Δ log L',
  pmi: 'count(ab) / (count(a) · count(b))',
  bpe: 'BPE frequency, count(ab)',
};

/**
 * The counts behind the merge just made, what each of the three scores makes of it, and why the
 * chosen one picked it, all from the step the trainer reported.
 */
export function MergeWhy({ step, kind }: { step: MergeStep; kind: MergeScore }) {
  const [a, b] = step.pair;
  const k = step.mergeCount;
  const values = scoresOf(step);
  return (
    <>
      <p className="merge-counts" data-testid="vocab.last-merge.counts">
        Before the merge: c(<code>{a}</code>) = {number(step.leftCount)}, c(<code>{b}</code>) ={' '}
        {number(step.rightCount)}, c(ab) = {number(step.pairCount)}, N = {number(step.totalTokens)} tokens in
        the corpus
        {k !== step.pairCount && <> ({number(k)} merges: runs of three overlap)</>}
        {step.tokenCount > 0 && (
          <>
            ; <code>{step.token}</code> already occurred {number(step.tokenCount)} times
          </>
        )}
        .
      </p>
      <table className="merge-scores" data-testid="vocab.last-merge.scores">
        <caption className="sr-only">The three scores of this merge</caption>
        <tbody>
          {MERGE_SCORES.map((score) => (
            <tr key={score} data-score={score} className={score === kind ? 'chosen' : undefined}>
              <th scope="row">
                {ROW_NAMES[score]}
                {score === kind && <span className="chosen-tag"> (training with this)</span>}
              </th>
              <td>{formatScore(score, values[score])}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="merge-math">
        <Formula step={step} kind={kind} />
      </p>
      <p className="stage-help" data-testid="vocab.last-merge.why">
        {kind === 'likelihood' && (
          <>
            The merge turns {number(k)} pair{k === 1 ? '' : 's'} into single tokens, so N falls to{' '}
            {number(step.totalTokens - k)}. The corpus became more likely by{' '}
            {formatScore('likelihood', values.likelihood)}, about {(values.likelihood / k).toFixed(2)} nats
            per merged pair, and no other merge would have raised it as much. The gain weights how strongly
            the parts go together (their PMI) by how often they occur together (k).
          </>
        )}
        {kind === 'pmi' && (
          <>
            {percent(step.pairCount / step.leftCount)} of the {number(step.leftCount)} <code>{a}</code> and{' '}
            {percent(step.pairCount / step.rightCount)} of the {number(step.rightCount)} <code>{b}</code> sit
            in this pair. The ratio rewards parts that are seldom seen apart and ignores how often the pair
            occurs ({number(step.pairCount)} times), so rare fragments can win over frequent whole words.
          </>
        )}
        {kind === 'bpe' && (
          <>
            No adjacent pair occurs more often than <code>{a}</code> <code>{b}</code> (
            {number(step.pairCount)} times). The count ignores how common <code>{a}</code> and{' '}
            <code>{b}</code> are on their own, so frequent pieces such as &quot;##e&quot; merge early.
          </>
        )}
      </p>
      <RunnerUp step={step} kind={kind} />
    </>
  );
}

function Formula({ step, kind }: { step: MergeStep; kind: MergeScore }) {
  const value = formatScore(kind, step.score);
  if (kind === 'bpe') {
    return (
      <>
        score = count(ab) = <strong>{value}</strong>
      </>
    );
  }
  if (kind === 'pmi') {
    return (
      <>
        score = count(ab) / (count(a) · count(b)) = {number(step.pairCount)} / ({number(step.leftCount)} ·{' '}
        {number(step.rightCount)}) = <strong>{value}</strong>
      </>
    );
  }
  return (
    <>
      Δ log L = [Σ F(c′(x)) − F(N′)] − [Σ F(c(x)) − F(N)] over x = a, b, ab, with F(n) = n·ln n:{' '}
      <strong>{value}</strong>. Count-weighted PMI less k, k · (ln(k·N / (c(a) · c(b))) − 1) with k ={' '}
      {number(step.mergeCount)}, approximates it when k is a small share of c(a) and c(b) (here{' '}
      {percent(step.mergeCount / Math.min(step.leftCount, step.rightCount))} of the rarer part):{' '}
      {formatScore('likelihood', approximateGain(step))}.
    </>
  );
}

function RunnerUp({ step, kind }: { step: MergeStep; kind: MergeScore }) {
  const second = step.runnerUp;
  if (second === null) return <p className="muted">It was the only pair left.</p>;
  return (
    <p className="runner-up" data-testid="vocab.last-merge.runner-up" data-token={second.token}>
      Runner-up: <code>{second.pair[0]}</code> + <code>{second.pair[1]}</code> → <code>{second.token}</code>,{' '}
      {formatScore(kind, second.score)}
      {kind !== 'bpe' && <> (count(ab) = {number(second.pairCount)})</>}
      {second.score === step.score &&
        (second.pairCount !== step.pairCount
          ? ': the same score, and the higher count(ab) wins'
          : ': the same score and count(ab), so plain string order decides')}
      .
    </p>
  );
}
