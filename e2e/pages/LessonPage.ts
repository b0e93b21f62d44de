import { expect, type Locator, type Page } from '@playwright/test';
import type { BertLabLesson } from '../../src/app/bertLab';

/** Page object for the Lesson view: the chapter list, the question, the Run button and the result. */
export class LessonPage {
  readonly chapter: Locator;
  readonly predict: Locator;
  readonly run: Locator;
  readonly result: Locator;
  readonly progress: Locator;
  readonly toc: Locator;
  readonly unknown: Locator;

  constructor(readonly page: Page) {
    this.chapter = page.getByTestId('lesson.chapter');
    this.predict = page.getByTestId('lesson.predict');
    this.run = page.getByTestId('lesson.run');
    this.result = page.getByTestId('lesson.result');
    this.progress = page.getByTestId('lesson.progress');
    this.toc = page.getByTestId('lesson.toc');
    this.unknown = page.getByTestId('lesson.unknown');
  }

  /** Opens the full lab on a chapter, by link. */
  async open(chapter: string, extra = ''): Promise<void> {
    await this.page.goto(`./?view=lesson&chapter=${encodeURIComponent(chapter)}${extra}`);
    await this.page.waitForFunction(() => window.bertLab !== undefined);
  }

  async choose(choice: string): Promise<void> {
    await this.predict.locator(`input[value="${choice}"]`).check();
  }

  /** Clicks Run and waits for the result (a chapter finishes in well under a minute here). */
  async runAndWait(): Promise<void> {
    await this.run.click();
    await expect(this.result).toBeVisible({ timeout: 90_000 });
  }

  async lesson(): Promise<BertLabLesson> {
    return this.page.evaluate(() => window.bertLab!.snapshot().lesson);
  }

  /** The claim object the result states, as the page's data-claim attribute carries it. */
  async claim<T>(): Promise<T> {
    return JSON.parse((await this.result.getAttribute('data-claim')) ?? 'null') as T;
  }
}
