import { useLab } from '../store/context';
import type { ColorScheme } from '../viz/theme';
import { useMediaQuery } from './useMediaQuery';

/**
 * The colour scheme the lab is drawn in: the one an embed's host forced (`theme=`, `setTheme`, the
 * element's attribute), else the system's. Canvas and colour-scale drawings redraw when it changes,
 * since their pixels cannot follow the CSS custom properties.
 */
export function useColorScheme(): ColorScheme {
  const forced = useLab((s) => s.theme);
  const system = useMediaQuery('(prefers-color-scheme: dark)') ? 'dark' : 'light';
  return forced === 'auto' ? system : forced;
}
