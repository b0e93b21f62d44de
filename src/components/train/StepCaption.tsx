import { useEffect, useRef, useState } from 'react';
import { useLab } from '../../store/context';
import { MOVE_SIZE_CAUSES, type MoveSizeCause, type MoveSizes } from '../../core/train/moveSizes';
import { stepCaption, type StepCaptionFacts } from './stepCaption';

/** Each nonempty group's median ‖Δrow‖ and ‖g‖, for the caption's "how far" sentence. */
function groupMedians(sizes: MoveSizes): NonNullable<StepCaptionFacts['medians']> {
  const out: Partial<Record<MoveSizeCause, { update: number; grad: number }>> = {};
  for (const g of MOVE_SIZE_CAUSES) {
    const { update, grad } = sizes[g];
    if (update && grad) out[g] = { update: update.median, grad: grad.median };
  }
  return out;
}

/** While playing, a screen reader hears at most one step every this many milliseconds. */
const PLAYING_CAPTION_MS = 2000;
/** Steps that arrive in a burst (the "10 steps" button) are read as one, the last. */
const BURST_MS = 250;

/**
 * The last step in words, in a polite live region: the text alternative to the map and counters.
 * Every step is narrated when stepping by hand; while playing, the caption is throttled so that
 * screen readers are not flooded, and it always ends on the latest step.
 */
export function StepCaption() {
  const frame = useLab((s) => s.training.frames.at(-1) ?? null);
  const report = useLab((s) => s.training.lastReport);
  const settings = useLab((s) => s.training.settings);
  const playing = useLab((s) => s.training.snapshot?.playing ?? false);
  // Counted over V rows once per step in the store.
  const facts = useLab((s) => s.training.stepFacts);
  const current = report && facts?.step === report.step ? facts : undefined;
  const gradient = current?.gradient;
  const medians = current && groupMedians(current.moveSizes);
  const built = useLab((s) => s.training.rows !== null);
  const text = frame
    ? stepCaption({
        step: frame.step,
        counts: frame.counts,
        optimizer: settings.optimizer,
        tied: settings.tieOutputEmbeddings,
        ...(report && report.step === frame.step
          ? {
              nonFinite: report.nonFinite,
              mlmLoss: report.loss.mlm,
              learningRate: report.learningRate,
              ...(gradient ? { gradient } : {}),
              ...(medians ? { medians } : {}),
            }
          : {}),
      })
    : null;
  const [spoken, setSpoken] = useState<{ text: string; step: number } | null>(null);
  const lastSpokenAt = useRef(0);

  useEffect(() => {
    if (text === null || !frame) return;
    const wait = playing ? PLAYING_CAPTION_MS : BURST_MS;
    const due = Math.max(0, lastSpokenAt.current + wait - performance.now());
    const speak = () => {
      lastSpokenAt.current = performance.now();
      setSpoken({ text, step: frame.step });
    };
    // A step by hand after a pause is read at once; otherwise the latest step when it is due (a
    // newer step cancels the pending one, so the caption never lags behind the last step).
    const id = setTimeout(speak, due);
    return () => clearTimeout(id);
  }, [text, frame, playing]);

  if (!frame && !built) return null;
  return (
    <p
      className="step-caption"
      data-testid="train.caption"
      data-step={frame ? (spoken?.step ?? '') : 0}
      aria-live="polite"
      aria-atomic="true"
    >
      {frame
        ? (spoken?.text ?? '')
        : `Step 0: every row of E_token is where seed ${settings.seed} put it; none has moved yet. Step trains on one batch and colours each row by the path that gave it a gradient (the lookup, the output softmax, or none) and whether it moved.`}
    </p>
  );
}
