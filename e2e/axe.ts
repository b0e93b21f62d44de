import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

/**
 * Serious and critical axe violations in `selector` (the whole page by default), one line each, so
 * a failure names the rule and the elements.
 */
export async function seriousViolations(page: Page, selector?: string): Promise<string[]> {
  // Only violations are read: axe then stops collecting every passing node (its `resultTypes`
  // option), which is most of its time on views with hundreds of chips.
  const builder = new AxeBuilder({ page }).options({ resultTypes: ['violations'] });
  const results = await (selector ? builder.include(selector) : builder).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
