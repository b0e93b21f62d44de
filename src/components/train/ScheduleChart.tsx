import { useDeferredValue, useMemo } from 'react';
import { learningRate, type Schedule } from '../../core/train/pure';
import { useLab } from '../../store/context';
import { drawLineChart } from '../../viz/lineChart';
import { useDraw } from '../useDraw';
import { googleLearningRate, scheduleDifference } from './googleDifferences';
import './googleDifferences.css';

/** About this many points draw the schedule smoothly at any total step count. */
const SAMPLES = 200;

/**
 * BERT's learning-rate schedule for the running settings: a linear warm-up to the peak, then a
 * linear decay to zero, with the steps taken so far drawn solid and the rest faint.
 */
export function ScheduleChart() {
  const settings = useLab((s) => s.training.settings);
  // Deferred: below the first screen; the step counter above says the step at once.
  const step = useDeferredValue(useLab((s) => s.training.snapshot?.step ?? 0));
  const schedule: Schedule = useMemo(
    () => ({
      peakLearningRate: settings.learningRate,
      warmupSteps: Math.min(settings.warmupSteps, settings.totalSteps - 1),
      totalSteps: settings.totalSteps,
    }),
    [settings.learningRate, settings.warmupSteps, settings.totalSteps],
  );
  const full = useMemo(() => {
    const every = Math.max(1, Math.floor(schedule.totalSteps / SAMPLES));
    const steps = [1, schedule.warmupSteps, schedule.totalSteps];
    for (let s = 1; s <= schedule.totalSteps; s += every) steps.push(s);
    return [...new Set(steps)]
      .filter((s) => s >= 1)
      .sort((a, b) => a - b)
      .map((s) => [s, learningRate(schedule, s)] as const);
  }, [schedule]);
  const done = useMemo(() => {
    const upTo = full.filter(([s]) => s < step);
    return step >= 1 ? [...upTo, [step, learningRate(schedule, step)] as const] : upTo;
  }, [full, schedule, step]);
  const ref = useDraw(
    (svg, width) =>
      drawLineChart(
        svg,
        { points: done, highlightLast: step >= 1, extra: [{ className: 'schedule-full', points: full }] },
        {
          width: Math.min(width, 520),
          height: 150,
          xLabel: 'step',
          yLabel: 'learning rate',
          xMin: 0,
          yMaxAtLeast: schedule.peakLearningRate * 1e-3,
        },
      ),
    [done, full, step],
  );
  return (
    <figure className="schedule-chart" data-testid="train.schedule">
      <figcaption className="muted">
        Learning rate: warm-up over {schedule.warmupSteps} steps to {schedule.peakLearningRate}, then linear
        decay to 0 at step {schedule.totalSteps}.
      </figcaption>
      <svg
        ref={ref}
        role="img"
        aria-label={`Learning-rate schedule; step ${step} uses ${step >= 1 ? learningRate(schedule, step).toExponential(2) : 'none yet'}`}
      />
      <p
        className="google-note muted"
        data-testid="train.schedule-google"
        data-lr-step1={learningRate(schedule, 1)}
        data-google-lr-update1={googleLearningRate(schedule, 1)}
      >
        {scheduleDifference(schedule)}
      </p>
    </figure>
  );
}
