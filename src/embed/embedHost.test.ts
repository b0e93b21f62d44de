/**
 * public/embed-host.js, the host pages' script, run as the browser runs it (one classic script)
 * against a fake window: its iframes, <bert-embedding-lab> elements, messages and MutationObservers.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SOURCE = readFileSync(join(import.meta.dirname, '../../public/embed-host.js'), 'utf8');
const LAB = 'https://lab.example';

interface Posted {
  message: unknown;
  origin: string;
}
interface Api {
  version: number;
  setTheme(theme: string): void;
  followTheme(read: () => string): () => void;
}

class FakeObserver {
  static all: FakeObserver[] = [];
  readonly targets: unknown[] = [];
  constructor(readonly callback: (records: { addedNodes: unknown[] }[]) => void) {
    FakeObserver.all.push(this);
  }
  observe(target: unknown) {
    this.targets.push(target);
  }
  disconnect() {
    this.targets.length = 0;
  }
}

function fakeElement(localName: string, classes: string[] = []) {
  const attributes = new Map<string, string>();
  return {
    localName,
    nodeType: 1,
    classList: { contains: (c: string) => classes.includes(c), set: (list: string[]) => (classes = list) },
    setAttribute: (name: string, value: string) => attributes.set(name, value),
    getAttribute: (name: string) => attributes.get(name) ?? null,
    querySelectorAll: () => [],
  };
}

function fakeIframe(src: string) {
  const posted: Posted[] = [];
  return {
    src,
    style: { height: '' },
    contentWindow: { postMessage: (message: unknown, origin: string) => posted.push({ message, origin }) },
    posted,
  };
}

/** A course page at https://course.example with the script loaded `loads` times. */
function coursePage(options: { darkClass?: string; loads?: number } = {}) {
  FakeObserver.all = [];
  const listeners: ((event: unknown) => void)[] = [];
  const html = fakeElement('html');
  const body = fakeElement('body');
  const iframes: ReturnType<typeof fakeIframe>[] = [];
  const elements: ReturnType<typeof fakeElement>[] = [];
  const script = fakeElement('script');
  if (options.darkClass) script.setAttribute('data-dark-class', options.darkClass);
  const document = {
    documentElement: html,
    body,
    currentScript: script,
    querySelectorAll: (selector: string) => (selector === 'iframe' ? iframes : elements),
    querySelector: () => null,
    addEventListener: () => {},
    removeEventListener: () => {},
  };
  const window: Record<string, unknown> = {
    document,
    location: { href: 'https://course.example/lesson/' },
    URL,
    console: { warn: () => {} },
    MutationObserver: FakeObserver,
    addEventListener: (type: string, listener: (event: unknown) => void) => {
      if (type === 'message') listeners.push(listener);
    },
  };
  for (let i = 0; i < (options.loads ?? 1); i++) new Function('window', SOURCE)(window);
  return {
    window,
    api: window.bertLabEmbeds as Api,
    html,
    iframes,
    elements,
    listeners,
    addIframe(src = `${LAB}/?embed=train`) {
      const iframe = fakeIframe(src);
      iframes.push(iframe);
      return iframe;
    },
    /** A message as the browser delivers it: from a window, with its origin. */
    deliver(source: unknown, origin: string, data: unknown) {
      for (const listener of listeners) listener({ source, origin, data });
    },
    mutate() {
      for (const observer of FakeObserver.all)
        if (observer.targets.length > 0) observer.callback([{ addedNodes: [] }]);
    },
  };
}

const height = (h: unknown) => ({ source: 'bert-embedding-lab', type: 'height', payload: { height: h } });
const ready = { source: 'bert-embedding-lab', type: 'ready', payload: { version: 1 } };

describe('embed-host.js', () => {
  it('fits each lab iframe to its own height reports, frames added later included', () => {
    const page = coursePage();
    const first = page.addIframe();
    page.deliver(first.contentWindow, LAB, height(2148.4));
    expect(first.style.height).toBe('2149px');
    const later = page.addIframe(`${LAB}/?embed=sum`);
    page.deliver(later.contentWindow, LAB, height(1200));
    expect(later.style.height).toBe('1200px');
    expect(first.style.height).toBe('2149px');
  });

  it('ignores reports from another origin, another window, other senders and absurd heights', () => {
    const page = coursePage();
    const frame = page.addIframe();
    page.deliver(frame.contentWindow, 'https://evil.example', height(10));
    page.deliver({}, LAB, height(10));
    page.deliver(frame.contentWindow, LAB, { type: 'height', payload: { height: 10 } });
    for (const bad of [-5, 0, Number.NaN, 1e9, '300', null])
      page.deliver(frame.contentWindow, LAB, height(bad));
    page.deliver(frame.contentWindow, LAB, null);
    expect(frame.style.height).toBe('');
  });

  it('setTheme tells every lab frame heard from, on its origin, and again when one says ready', () => {
    const page = coursePage();
    const frame = page.addIframe(`${LAB}/lab/?embed=pack`);
    const silent = page.addIframe('https://video.example/player');
    page.deliver(frame.contentWindow, LAB, ready);
    page.api.setTheme('dark');
    const setTheme = { message: { type: 'setTheme', payload: { theme: 'dark' } }, origin: LAB };
    expect(frame.posted).toEqual([setTheme]);
    expect(silent.posted).toEqual([]);
    // The frame reloads (or a new one loads): its `ready` gets the page's theme.
    page.deliver(frame.contentWindow, LAB, ready);
    expect(frame.posted).toEqual([setTheme, setTheme]);
  });

  it('setTheme sets the theme attribute of every <bert-embedding-lab>, and refuses other themes', () => {
    const page = coursePage();
    const element = fakeElement('bert-embedding-lab');
    page.elements.push(element);
    page.api.setTheme('light');
    expect(element.getAttribute('theme')).toBe('light');
    page.api.setTheme('purple');
    expect(element.getAttribute('theme')).toBe('light');
  });

  it('followTheme applies now and whenever <html> or <body> attributes change, sending changes only', () => {
    const page = coursePage();
    const frame = page.addIframe();
    page.deliver(frame.contentWindow, LAB, ready);
    let dark = false;
    page.api.followTheme(() => (dark ? 'dark' : 'light'));
    expect(frame.posted.map((p) => p.message)).toEqual([{ type: 'setTheme', payload: { theme: 'light' } }]);
    page.mutate();
    expect(frame.posted).toHaveLength(1);
    dark = true;
    page.mutate();
    expect(frame.posted.map((p) => p.message)).toEqual([
      { type: 'setTheme', payload: { theme: 'light' } },
      { type: 'setTheme', payload: { theme: 'dark' } },
    ]);
  });

  it('data-dark-class follows the class on <html>, as VitePress toggles html.dark', () => {
    const page = coursePage({ darkClass: 'dark' });
    const element = fakeElement('bert-embedding-lab');
    page.elements.push(element);
    page.html.classList.set(['dark']);
    page.mutate();
    expect(element.getAttribute('theme')).toBe('dark');
    page.html.classList.set([]);
    page.mutate();
    expect(element.getAttribute('theme')).toBe('light');
  });

  it('loaded twice, it keeps one listener and one API', () => {
    const page = coursePage({ loads: 2 });
    expect(page.listeners).toHaveLength(1);
    expect(page.api.version).toBe(1);
  });
});
