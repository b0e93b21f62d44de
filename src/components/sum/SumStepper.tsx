import { useCallback, useEffect, useId, useMemo, useState, type CSSProperties } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useLab } from '../../store/context';
import { LAST_STAGE, SUM_STAGES, type SumPlay, type SumStage } from '../../store/types';
import { HeatRow } from './HeatRow';
import {
  SEGMENT_NAME,
  fmt,
  positionVectors,
  stageCaption,
  valuesAttr,
  type PositionVectors,
  type SumPanelProps,
} from './sumData';
import { useReducedMotion } from './useReducedMotion';

/** How long each stage stays on screen at speed 1, in ms (lookup, gather, add, stats, normalize, affine). */
const STAGE_MS = [800, 800, 1400, 1000, 1000, 1100] as const;
const SPEEDS = [0.5, 1, 2, 4] as const;

/** Advances the animation on a timer; CSS transitions do the moving, so React renders once a stage. */
function useStageTimer(T: number, reduced: boolean) {
  const { play, stage, position, speed } = useLab(
    useShallow((s) => ({ play: s.sumPlay, stage: s.sumStage, position: s.sumPosition, speed: s.sumSpeed })),
  );
  const setStage = useLab((s) => s.setSumStage);
  const setPlay = useLab((s) => s.setSumPlay);
  const setPosition = useLab((s) => s.setSumPosition);
  useEffect(() => {
    if (play === 'paused') return;
    const ms = (reduced && stage === LAST_STAGE ? 1200 : (STAGE_MS[stage] ?? 1000)) / speed;
    const timer = setTimeout(() => {
      if (stage < LAST_STAGE) return setStage(reduced ? LAST_STAGE : stage + 1);
      if (play === 'once') return setPlay('paused');
      setPosition((position + 1) % T);
      setStage(reduced ? LAST_STAGE : 0);
    }, ms);
    return () => clearTimeout(timer);
  }, [play, stage, position, speed, reduced, T, setStage, setPlay, setPosition]);
}

interface SumControlsProps {
  readonly play: SumPlay;
  readonly stage: number;
  readonly stageName: SumStage;
  readonly speed: number;
  readonly setPlay: (play: SumPlay) => void;
  readonly setStage: (stage: number) => void;
  readonly setSpeed: (speed: number) => void;
}

/** Play or pause, one stage at a time, the speed, and where the animation is. */
function SumControls({ play, stage, stageName, speed, setPlay, setStage, setSpeed }: SumControlsProps) {
  return (
    <div className="sum-controls" role="group" aria-label="Animation">
      <button
        type="button"
        data-testid="sum.play"
        onClick={() => setPlay(play === 'paused' ? 'all' : 'paused')}
      >
        {play === 'paused' ? '▶ Play' : '⏸ Pause'}
      </button>
      <button
        type="button"
        data-testid="sum.step"
        onClick={() => {
          setPlay('paused');
          setStage(stage >= LAST_STAGE ? 0 : stage + 1);
        }}
      >
        Step ›
      </button>
      <label className="field-inline">
        Speed
        <select data-testid="sum.speed" value={speed} onChange={(e) => setSpeed(Number(e.target.value))}>
          {SPEEDS.map((s) => (
            <option key={s} value={s}>
              {s}×
            </option>
          ))}
        </select>
      </label>
      <span className="muted sum-stage-name" data-testid="sum.stage" data-stage={stageName}>
        Stage {stage + 1} of {SUM_STAGES.length}: {stageName}
      </span>
    </div>
  );
}

/** The three rows the lookups fetch for one position. */
function lookupRows(v: PositionVectors) {
  return [
    {
      testId: 'sum.token-row',
      label: 'Token row',
      detail: `E_token[${v.tokenId}] “${v.token}”`,
      values: v.tokenRow,
    },
    {
      testId: 'sum.segment-row',
      label: '+ Segment row',
      detail: `E_segment[${v.segment}] (${SEGMENT_NAME[v.segment] ?? v.segment})`,
      values: v.segmentRow,
    },
    {
      testId: 'sum.position-row',
      label: '+ Position row',
      detail: `E_position[${v.position}]`,
      values: v.positionRow,
    },
  ];
}

interface SumReadoutProps {
  readonly trace: SumPanelProps['trace'];
  readonly v: PositionVectors;
  /** The column read out. */
  readonly j: number;
  readonly setCursor: (j: number) => void;
}

/** Column j's numbers through every stage, with a slider to choose j. */
function SumReadout({ trace, v, j, setCursor }: SumReadoutProps) {
  const H = trace.hidden;
  return (
    <div className="sum-readout">
      <label className="field-inline">
        Column j
        <input
          type="range"
          min={0}
          max={H - 1}
          value={j}
          onChange={(e) => setCursor(Number(e.target.value))}
          onFocus={() => setCursor(j)}
          aria-valuetext={`column ${j}`}
        />
      </label>
      <output data-testid="sum.readout">
        j = {j}: {fmt(v.tokenRow[j] ?? 0)} + {fmt(v.segmentRow[j] ?? 0)} + {fmt(v.positionRow[j] ?? 0)} ={' '}
        {fmt(v.total[j] ?? 0)}; x̂ = {fmt(v.normalized[j] ?? 0)}; × {fmt(trace.gamma[j] ?? 0)} +{' '}
        {fmt(trace.beta[j] ?? 0)} = {fmt(v.output[j] ?? 0)}
      </output>
    </div>
  );
}

export function SumStepper({ trace, embedColor, normColor }: SumPanelProps) {
  const position = useLab((s) => s.sumPosition);
  const stage = useLab((s) => s.sumStage);
  const play = useLab((s) => s.sumPlay);
  const speed = useLab((s) => s.sumSpeed);
  const setStage = useLab((s) => s.setSumStage);
  const setPlay = useLab((s) => s.setSumPlay);
  const setSpeed = useLab((s) => s.setSumSpeed);
  const reduced = useReducedMotion();
  useStageTimer(trace.seqLength, reduced);
  const [cursor, setCursor] = useState<number | null>(null);
  const onCursor = useCallback((j: number | null) => setCursor(j), []);
  const id = useId();

  const v = useMemo(() => positionVectors(trace, position), [trace, position]);
  const H = trace.hidden;
  const stageName = SUM_STAGES[stage] ?? 'affine';
  const at = (k: number) => (stage >= k ? 'is-on' : 'is-off');
  const lookedUp = stage === 0 ? 'is-looked' : 'is-on';
  const std = Math.sqrt(v.variance + trace.layerNormEps);
  const j = cursor ?? 0;
  const style = {
    '--sum-ms': `${reduced ? 0 : Math.round(600 / speed)}ms`,
  } as CSSProperties;
  const common = { cursor, onCursor };
  const lookups = lookupRows(v);

  return (
    <section className="panel sum-stepper" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>
        Position{' '}
        <span data-testid="sum.position" data-position={position}>
          {position}
        </span>
        : “{v.token}”
      </h2>
      <SumControls
        play={play}
        stage={stage}
        stageName={stageName}
        speed={speed}
        setPlay={setPlay}
        setStage={setStage}
        setSpeed={setSpeed}
      />
      <div className="sum-anim" style={style} data-stage={stageName}>
        {lookups.map((row) => (
          <HeatRow key={row.testId} {...common} {...row} color={embedColor} state={lookedUp} />
        ))}
        <HeatRow
          {...common}
          testId="sum.total"
          label="= Sum x"
          values={v.total}
          color={embedColor}
          state={`is-on sum-fill ${stage >= 2 ? 'filled' : ''}`}
          stagger={reduced ? 0 : Math.min(12, 900 / H) / speed}
        />
        <p
          className={`sum-row sum-stats ${at(3)}`}
          data-testid="sum.stats"
          data-mean={v.mean}
          data-variance={v.variance}
        >
          LayerNorm of x: μ = <b>{fmt(v.mean)}</b>, σ = √(σ² + ε) = <b>{fmt(std)}</b>
        </p>
        <HeatRow {...common} label="x̂ = (x − μ) / σ" values={v.normalized} color={normColor} state={at(4)} />
        <HeatRow {...common} label="× γ" values={trace.gamma} color={normColor} state={at(5)} />
        <HeatRow {...common} label="+ β" values={trace.beta} color={normColor} state={at(5)} />
        <HeatRow
          {...common}
          testId="sum.layernorm"
          label="= LayerNorm output"
          values={v.output}
          color={normColor}
          state={at(5)}
          attrs={{ 'data-gamma': valuesAttr(trace.gamma), 'data-beta': valuesAttr(trace.beta) }}
        />
      </div>
      <p className="sum-caption" aria-live="polite" data-testid="sum.caption">
        {stageCaption(stageName, v, H)}
      </p>
      <SumReadout trace={trace} v={v} j={j} setCursor={setCursor} />
    </section>
  );
}
