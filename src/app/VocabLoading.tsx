import { ProgressBar } from '../components/ProgressBar';
import type { DownloadProgress } from './loadVocab';

const kB = (bytes: number) => `${Math.round(bytes / 1000).toLocaleString('en-US')} kB`;

/** The vocabulary download in numbers: a percentage from Content-Length, or the bytes so far. */
export function VocabLoading({ progress }: { progress: DownloadProgress | null }) {
  const received = progress?.received ?? 0;
  const total = progress?.total ?? null;
  const amount = total === null ? `${kB(received)} so far` : `${kB(received)} of ${kB(total)}`;
  return (
    <div className="message vocab-loading" role="status" data-testid="vocab.loading">
      <p>
        Loading the bert-base-uncased vocabulary (30,522 word pieces)…{' '}
        {progress && <span data-testid="vocab.loading-bytes">{amount}</span>}
      </p>
      <ProgressBar
        fraction={total === null ? null : received / total}
        label="Vocabulary download"
        valueText={progress ? amount : 'starting'}
        testId="vocab.progress"
      />
    </div>
  );
}
