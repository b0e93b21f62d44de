import { useMemo } from 'react';
import { useLab } from '../../store/context';
import { drawSparkline } from '../../viz/sparkline';
import { useDraw } from '../useDraw';
import { FullLabLink, useEmbedding } from '../embedding';
import { fmt } from './sumData';
import { NearestRowsButton } from '../learned/NearestRows';

/** ‖E_token[id]‖ of the selected token over the training steps this view has seen. */
export function NormSparkline({ tokenId, token }: { tokenId: number; token: string }) {
  const history = useLab((s) => s.sumNormHistory);
  const embedding = useEmbedding();
  const points = useMemo(
    () =>
      history.flatMap((p) => {
        const y = p.norms.get(tokenId);
        return y === undefined ? [] : [{ x: p.step, y }];
      }),
    [history, tokenId],
  );
  const ref = useDraw(
    (svg, width) => drawSparkline(svg, points, { width: Math.min(width, 320), height: 36 }),
    [points],
  );
  const last = points[points.length - 1];
  const trained = points.length >= 2;
  return (
    <div className="sum-spark" data-testid="sum.sparkline" data-points={points.length}>
      <span>
        ‖E_token[{tokenId}]‖ “{token}”{last ? ` = ${fmt(last.y)} at step ${last.x}` : ''}
        <NearestRowsButton key={token} piece={token} testId="sum.nearest-rows" />
      </span>
      {trained ? (
        <svg ref={ref} role="img" aria-label={`Norm of the token row over ${points.length} observed steps`} />
      ) : (
        <span className="muted">
          {embedding ? (
            <>
              Once the model trains, this row&rsquo;s norm is plotted here, step by step.{' '}
              <FullLabLink embedding={embedding} view="train" testId="sum.train-link">
                Train it in the full lab
              </FullLabLink>
            </>
          ) : (
            <>Train the model (Training tab) and this row&rsquo;s norm is plotted here, step by step.</>
          )}
        </span>
      )}
    </div>
  );
}
