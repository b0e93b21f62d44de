import { useLayoutEffect, type RefObject } from 'react';
import { useColorScheme } from '../components/useColorScheme';
import { useLab } from '../store/context';
import type { BackgroundChoice } from '../store/types';
import type { ColorScheme } from '../viz/theme';

/**
 * The colours an embed wears, for its root element's `data-scheme` and `data-background`
 * (tokens.css): the scheme resolved (a forced theme, else the system's), so the CSS needs no media
 * query inside the web component's shadow root. A frame's <html> gets them too, so the part of the
 * frame below the view, and the frame's own canvas, match.
 */
export function useEmbedAppearance(ref: RefObject<HTMLElement | null>): {
  readonly scheme: ColorScheme;
  readonly background: BackgroundChoice;
} {
  const scheme = useColorScheme();
  const background = useLab((s) => s.background);
  useLayoutEffect(() => {
    const root = ref.current?.getRootNode();
    if (!(root instanceof Document)) return;
    const data = root.documentElement.dataset;
    data.scheme = scheme;
    data.background = background;
  }, [ref, scheme, background]);
  return { scheme, background };
}
