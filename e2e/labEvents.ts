/** The <bert-embedding-lab> element's events, recorded on the page for the tests to read. */
import type { Page } from '@playwright/test';

declare global {
  interface Window {
    labEvents?: { type: string; detail: unknown; at: number }[];
  }
}

/** Records the element's events on the document (they bubble and cross the shadow root). */
export const recordEvents = () => {
  window.labEvents = [];
  for (const type of ['lab-ready', 'lab-state', 'lab-step'])
    document.addEventListener(type, (event) =>
      window.labEvents!.push({ type, detail: (event as CustomEvent).detail, at: performance.now() }),
    );
};

export const eventsOf = (page: Page, type: string) =>
  page.evaluate((t) => (window.labEvents ?? []).filter((e) => e.type === t), type);
