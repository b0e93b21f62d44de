import type { ColorScheme } from '../viz/theme';
import { useMediaQuery } from './useMediaQuery';

/** The system's colour scheme; canvas and colour-scale drawings redraw when it changes. */
export function useColorScheme(): ColorScheme {
  return useMediaQuery('(prefers-color-scheme: dark)') ? 'dark' : 'light';
}
