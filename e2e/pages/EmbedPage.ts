/**
 * Page objects for the embeddable lab: a view alone at `?embed=<view>`, the "Embed this view" panel
 * of the full lab, a course page on another origin that frames an embed, and the
 * <bert-embedding-lab> web component.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, type Frame, type Locator, type Page } from '@playwright/test';

interface Received {
  origin: string;
  data: { source?: string; type?: string; payload?: Record<string, unknown> };
}

declare global {
  interface Window {
    received: Received[];
    send(message: unknown): void;
    cspViolations?: string[];
  }
}

/** The views an embed's tests open, and the test id each shows once it is ready. */
export const EMBED_VIEWS = [
  ['pack', 'pack.token'],
  ['vocab', 'vocab.corpus'],
  ['train', 'train.view'],
] as const;

/** The tokens Tokenize & Pack shows in a page, a frame or a web component. */
export function shownTokens(scope: Page | Frame | Locator): Promise<(string | null)[]> {
  return scope.getByTestId('pack.token').evaluateAll((els) => els.map((el) => el.getAttribute('data-token')));
}

/** Page object for the lab's embed mode (`?embed=`) and the full lab's "Embed this view" panel. */
export class EmbedPage {
  readonly button: Locator;
  readonly panel: Locator;
  readonly snippet: Locator;
  readonly origins: Locator;
  readonly notices: Locator;
  /** The embed's "Open in the lab" link. */
  readonly openLink: Locator;

  constructor(readonly page: Page) {
    this.button = page.getByTestId('embed.button');
    this.panel = page.getByTestId('embed.panel');
    this.snippet = page.getByTestId('embed.snippet');
    this.origins = page.getByTestId('embed.origins');
    this.notices = page.getByTestId('embed.notice');
    this.openLink = page.getByTestId('embed.open');
  }

  /** Opens `./?embed=<view>` with further query parameters (`&hide=…`). */
  goto(view: string, query = ''): Promise<unknown> {
    return this.page.goto(`./?embed=${view}${query}`);
  }

  /** Opens the "Embed this view" panel of the full lab. */
  async openPanel(): Promise<void> {
    await this.button.click();
    await expect(this.button).toHaveAttribute('aria-expanded', 'true');
  }

  /** Ticks "Hide controls" for one control name. */
  hide(name: string): Promise<void> {
    return this.page.getByTestId(`embed.hide-${name}`).check();
  }

  /** The URL the snippet's iframe loads. */
  async snippetSrc(): Promise<string> {
    const html = await this.snippet.inputValue();
    return html.match(/src="([^"]+)"/)![1]!.replaceAll('&amp;', '&');
  }

  /** Every notice the embed shows, one a line. */
  async noticeText(): Promise<string> {
    return (await this.notices.allTextContents()).join('\n');
  }
}

/**
 * A course page that frames the lab and a stranger. Its script records what the lab posts and
 * sends what the test asks, as a real host would.
 */
const hostPage = (labUrl: string, strangerUrl: string) => `<!doctype html>
<html lang="en"><head><title>Course page</title></head><body>
<script>
  window.received = [];
  addEventListener('message', (event) => {
    if (event.source === document.getElementById('lab').contentWindow)
      window.received.push({ origin: event.origin, data: event.data });
  });
  window.send = (message) => document.getElementById('lab').contentWindow.postMessage(message, '*');
</script>
<iframe id="lab" src="${labUrl}" title="BERT Embedding Lab" style="width: 800px; height: 700px; border: 0"></iframe>
<iframe id="stranger" src="${strangerUrl}" title="Another frame"></iframe>
</body></html>`;

/**
 * A small server that plays the course page (http://127.0.0.1:<port>) and a stranger's frame on a
 * third origin (http://localhost:<port>). Both are on this machine: Chromium refuses to let a page
 * it thinks public frame the lab on 127.0.0.1, so routed fake domains would not do.
 */
export class CourseHost {
  private server: Server | null = null;
  private port = 0;
  /** The lab URL the next course page frames. */
  private nextLab = '';

  async start(): Promise<void> {
    const server = createServer((request, response) => {
      const path = new URL(request.url ?? '/', 'http://x').pathname;
      response.setHeader('content-type', 'text/html');
      if (path === '/course.html')
        return void response.end(hostPage(this.nextLab, `${this.strangerOrigin}/stranger.html`));
      if (path === '/stranger.html')
        return void response.end('<!doctype html><title>Stranger</title><p>Another frame</p>');
      response.writeHead(404).end();
    });
    this.server = server;
    // No host: both 127.0.0.1 and localhost (IPv4 or IPv6) reach it.
    await new Promise<void>((resolve) => server.listen(0, resolve));
    this.port = (server.address() as AddressInfo).port;
  }

  stop(): Promise<void> {
    return new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get strangerOrigin(): string {
    return `http://localhost:${this.port}`;
  }

  /**
   * Opens the course page framing `labPath` of the lab; the embed it returns also collects the
   * requests that went anywhere but the lab, the course page and the stranger.
   */
  async open(page: Page, baseURL: string, labPath: string): Promise<HostedEmbed> {
    this.nextLab = new URL(labPath, baseURL).href;
    const allowed = new Set([
      new URL(baseURL).host,
      new URL(this.origin).host,
      new URL(this.strangerOrigin).host,
    ]);
    const outside: string[] = [];
    page.on('request', (r) => {
      if (r.url().startsWith('http') && !allowed.has(new URL(r.url()).host)) outside.push(r.url());
    });
    await page.goto(`${this.origin}/course.html`);
    const find = () =>
      page.frames().find((f) => f.url().startsWith(new URL(baseURL).origin) && f.url().includes('embed='));
    await expect.poll(() => find() !== undefined).toBe(true);
    return new HostedEmbed(page, find()!, outside, `${this.strangerOrigin}/stranger.html`);
  }
}

/** The lab framed by a course page, seen from both sides of postMessage. */
export class HostedEmbed {
  constructor(
    readonly page: Page,
    readonly frame: Frame,
    /** Requests to any other host (checked empty at the end of a test). */
    readonly outside: string[],
    private readonly strangerUrl: string,
  ) {}

  /** What the lab has posted to the course page so far, of one type. */
  received(type: string): Promise<Received[]> {
    return this.page.evaluate((t) => window.received.filter((m) => m.data.type === t), type);
  }

  /** Sends these messages from the course page to the lab, in order. */
  send(...messages: unknown[]): Promise<void> {
    return this.page.evaluate((list) => list.forEach((message) => window.send(message)), messages);
  }

  /** The lab's tally of the messages it accepted and rejected, and why it rejected the last. */
  counts() {
    return this.frame.evaluate(() => ({
      accepted: Number(document.documentElement.dataset.acceptedMessages),
      rejected: Number(document.documentElement.dataset.rejectedMessages),
      last: document.documentElement.dataset.lastRejection ?? '',
    }));
  }

  tokens(): Promise<(string | null)[]> {
    return shownTokens(this.frame);
  }

  /** The height of the embed's content as the frame lays it out. */
  contentHeight(): Promise<number> {
    return this.frame.evaluate(() => document.querySelector('.embed')!.getBoundingClientRect().height);
  }

  /** The stranger's frame, on a third origin. */
  stranger(): Frame {
    return this.page.frame({ url: this.strangerUrl })!;
  }
}

/**
 * Records CSP violations and page errors on a page that hosts <bert-embedding-lab> elements: the
 * demo page's CSP is as strict as a course page's.
 */
export async function watchHostPage(page: Page): Promise<string[]> {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) =>
      (window.cspViolations ??= []).push(`${event.violatedDirective} ${event.blockedURI}`),
    );
  });
  return errors;
}
