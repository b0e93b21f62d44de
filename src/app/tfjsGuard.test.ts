/**
 * The build guard that keeps TensorFlow.js out of the page (scripts/vite-plugin-tfjs-in-worker.ts),
 * on bundles shaped like the real one.
 */
import { describe, expect, it } from 'vitest';
import { tfjsInPageChunks, type ChunkLike } from '../../scripts/vite-plugin-tfjs-in-worker';

const page: ChunkLike = {
  type: 'chunk',
  fileName: 'assets/labStore-abc.js',
  moduleIds: ['/lab/node_modules/react-dom/index.js', '/lab/src/store/labStore.ts'],
};

describe('tfjsInPageChunks', () => {
  it('passes a page bundle without tfjs, whatever its assets are called', () => {
    const wasm: ChunkLike = { type: 'asset', fileName: 'assets/tfjs-backend-wasm-x.wasm' };
    const worker: ChunkLike = { type: 'asset', fileName: 'assets/train.worker-x.js' };
    expect(tfjsInPageChunks({ a: page, b: wasm, c: worker })).toEqual([]);
  });

  it('names the chunk, the tfjs packages and the page modules that came with them', () => {
    const leaked: ChunkLike = {
      type: 'chunk',
      fileName: 'assets/TrainPanel-x.js',
      moduleIds: [
        '/lab/node_modules/@tensorflow/tfjs-core/dist/index.js',
        '/lab/node_modules/@tensorflow/tfjs-core/dist/ops/add.js',
        '/lab/node_modules/@tensorflow/tfjs-backend-webgl/dist/index.js',
        '/lab/src/core/train/step.ts',
        '\0rolldown/runtime.js',
      ],
    };
    const [problem, ...rest] = tfjsInPageChunks({ a: page, b: leaked });
    expect(rest).toEqual([]);
    expect(problem).toContain('assets/TrainPanel-x.js contains 3 modules');
    expect(problem).toContain('@tensorflow/tfjs-core, @tensorflow/tfjs-backend-webgl');
    expect(problem).toContain('/lab/src/core/train/step.ts');
    expect(problem).not.toContain('rolldown');
  });

  it('finds tfjs on Windows paths too', () => {
    const leaked: ChunkLike = {
      type: 'chunk',
      fileName: 'assets/index-x.js',
      moduleIds: ['C:\\lab\\node_modules\\@tensorflow\\tfjs\\dist\\index.js'],
    };
    expect(tfjsInPageChunks({ leaked })).toHaveLength(1);
  });
});
