import type { ReactNode } from 'react';
import type { LessonChapterId } from '../../core/lesson/chapters';
import type { RandomStartClaim } from '../../core/lesson/randomStart';
import type { VocabSizeClaim } from '../../core/lesson/vocabSize';
import type { WordpieceClaim } from '../../core/lesson/wordpiece';
import type { LessonRunData } from '../../store/lessonTypes';

const count = (n: number) => n.toLocaleString('en-US');

/**
 * A table's frame: on a narrow screen a wide table scrolls sideways inside it rather than the
 * page, and the frame takes keyboard focus so the arrow keys can scroll it too.
 */
function TableFrame({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="lesson-figure" tabIndex={0} role="group" aria-label={label}>
      {children}
    </div>
  );
}
const two = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(2)).toString() : '–');

function WordpieceTables({ claim }: { claim: WordpieceClaim }) {
  return (
    <>
      <TableFrame label="The first words WordPiece made whole">
        <table className="lesson-table" data-testid="lesson.first-whole">
          <caption>The first words WordPiece made whole</caption>
          <thead>
            <tr>
              <th scope="col">Word</th>
              <th scope="col">Merge</th>
              <th scope="col">Corpus count</th>
              <th scope="col">Frequency rank</th>
            </tr>
          </thead>
          <tbody>
            {claim.firstWhole.map((w) => (
              <tr key={w.word}>
                <td>
                  <code>{w.word}</code>
                </td>
                <td>{count(w.step)}</td>
                <td>{count(w.count)}</td>
                <td>{count(w.rank)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableFrame>
      <TableFrame label="The same words in both vocabularies">
        <table className="lesson-table lesson-splits" data-testid="lesson.splits">
          <caption>
            The same words in the trained vocabulary ({count(claim.vocabSize)} tokens) and in
            bert-base-uncased
          </caption>
          <thead>
            <tr>
              <th scope="col">Word</th>
              <th scope="col">Corpus count</th>
              <th scope="col">Trained here</th>
              <th scope="col">bert-base-uncased</th>
            </tr>
          </thead>
          <tbody>
            {claim.words.map((w) => (
              <tr key={w.word}>
                <td>
                  <code>{w.word}</code>
                </td>
                <td>{count(w.count)}</td>
                <td>
                  <code>{w.trained.join(' ')}</code>
                </td>
                <td>
                  <code>{w.bert.join(' ')}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableFrame>
    </>
  );
}

function RandomStartTable({ claim }: { claim: RandomStartClaim }) {
  return (
    <TableFrame label="Norms of each slot’s rows">
      <table className="lesson-table" data-testid="lesson.slots">
        <caption>
          Norms of each slot&rsquo;s rows at step {claim.step}, their sum and LayerNorm&rsquo;s output
        </caption>
        <thead>
          <tr>
            <th scope="col">Token</th>
            <th scope="col">Token row</th>
            <th scope="col">Segment row</th>
            <th scope="col">Position row</th>
            <th scope="col">Sum</th>
            <th scope="col">LayerNorm</th>
          </tr>
        </thead>
        <tbody>
          {claim.slots.map((s, i) => (
            <tr key={i}>
              <td>
                <code>{s.token}</code>
              </td>
              <td>{two(s.tokenRow)}</td>
              <td>{two(s.segmentRow)}</td>
              <td>{two(s.positionRow)}</td>
              <td>{two(s.sum)}</td>
              <td>{two(s.layerNorm)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableFrame>
  );
}

function VocabSizeTable({ claim }: { claim: VocabSizeClaim }) {
  const { small, large, rareBelow } = claim.comparison;
  return (
    <TableFrame label="Two WordPiece vocabularies">
      <table className="lesson-table" data-testid="lesson.vocab-compare">
        <caption>Two WordPiece vocabularies trained on the built-in corpus</caption>
        <thead>
          <tr>
            <th scope="col">Vocabulary</th>
            <th scope="col">Pieces in the corpus</th>
            <th scope="col">Pieces a word</th>
            <th scope="col">Median count a row</th>
            <th scope="col">Rows seen &lt; {rareBelow}×</th>
            <th scope="col">Rows never seen</th>
          </tr>
        </thead>
        <tbody>
          {[small, large].map((v) => (
            <tr key={v.vocabSize}>
              <td>{count(v.vocabSize)} tokens</td>
              <td>{count(v.tokens)}</td>
              <td>{two(v.piecesPerWord)}</td>
              <td>{two(v.medianOccurrences)}</td>
              <td>
                {count(v.rare)} ({Math.round((100 * v.rare) / v.rows)}%)
              </td>
              <td>{count(v.never)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableFrame>
  );
}

/** The numbers of the chapters whose result is best read as a table. */
export function OutcomeTables({ chapter, data }: { chapter: LessonChapterId; data: LessonRunData }) {
  const claim = data.outcome.claim;
  if (chapter === 'wordpiece') return <WordpieceTables claim={claim as WordpieceClaim} />;
  if (chapter === 'random-start') return <RandomStartTable claim={claim as RandomStartClaim} />;
  if (chapter === 'vocab-size') return <VocabSizeTable claim={claim as VocabSizeClaim} />;
  return null;
}
