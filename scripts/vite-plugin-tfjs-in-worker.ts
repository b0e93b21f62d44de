/**
 * A build-time guard: TensorFlow.js belongs to the training Worker, never to the page. The Worker
 * is bundled on its own (Vite builds each `new Worker(new URL(...))` separately and emits it as an
 * asset), so every chunk of the main build is page code: if one of them contains a module from
 * `@tensorflow/`, the page downloads a second copy of tfjs (1 MB) before anything runs, and the
 * build fails with the chunk, the tfjs modules and the page module that pulled the first one in.
 *
 * ESLint's no-restricted-imports catches the direct cases in review; this catches every path,
 * barrels and re-exports included, because it looks at what the bundler actually put in.
 */
import type { Plugin } from 'vite';

/** What the check reads of a bundle entry: Rollup's and Rolldown's output chunks both have it. */
export interface ChunkLike {
  readonly type: 'chunk' | 'asset';
  readonly fileName: string;
  readonly moduleIds?: readonly string[];
}

const TFJS = /[\\/]node_modules[\\/]@tensorflow[\\/]/;

/** One line per page chunk that contains tfjs modules; empty when the page is free of tfjs. */
export function tfjsInPageChunks(bundle: Readonly<Record<string, ChunkLike>>): string[] {
  const problems: string[] = [];
  for (const chunk of Object.values(bundle)) {
    if (chunk.type !== 'chunk') continue;
    const ids = chunk.moduleIds ?? [];
    const tfjs = ids.filter((id) => TFJS.test(id));
    if (tfjs.length === 0) continue;
    const packages = [
      ...new Set(tfjs.map((id) => id.replace(/^.*[\\/]node_modules[\\/](@tensorflow[\\/][^\\/]+).*$/, '$1'))),
    ];
    const own = ids.filter((id) => !/[\\/]node_modules[\\/]/.test(id) && !id.startsWith('\0'));
    problems.push(
      `${chunk.fileName} contains ${tfjs.length} modules of ${packages.join(', ')}` +
        ` (page modules in it include ${own.slice(0, 5).join(', ')})`,
    );
  }
  return problems;
}

export function tfjsInWorkerOnly(): Plugin {
  return {
    name: 'tfjs-in-worker-only',
    apply: 'build',
    generateBundle(_options, bundle) {
      const problems = tfjsInPageChunks(bundle as Record<string, ChunkLike>);
      if (problems.length > 0) {
        this.error(
          'TensorFlow.js is in the page bundle; only the training Worker may import it. ' +
            'Import values from src/core/train/pure (types with `import type`).\n' +
            problems.join('\n'),
        );
      }
    },
  };
}
