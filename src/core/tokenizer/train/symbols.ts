/**
 * The trainer's symbols: the strings that occur in splits, by integer id. The same string always
 * gets the same id, even when two different merges make it. count(x) is the weighted number of
 * times symbol x occurs in the current splits.
 */
import { byPlainOrder } from './alphabet';
import { TrainerError } from './options';
import { MAX_SYMBOLS } from './pairs';

export class SymbolTable {
  readonly text: string[] = [];
  readonly count: number[] = [];
  /**
   * For the likelihood score (scoring.ts): the merge in which count(x) last changed, and for the
   * pair (x, x) the number of merges it would make.
   */
  readonly changed: number[] = [];
  readonly selfMerges: number[] = [];
  private readonly ids = new Map<string, number>();

  /** The id of `text`, made on first sight. */
  intern(text: string): number {
    let id = this.ids.get(text);
    if (id === undefined) {
      id = this.text.length;
      if (id >= MAX_SYMBOLS) throw new TrainerError('Too many distinct symbols.');
      this.text.push(text);
      this.ids.set(text, id);
      this.count.push(0);
      this.changed.push(0);
      this.selfMerges.push(0);
    }
    return id;
  }

  idOf(text: string): number | undefined {
    return this.ids.get(text);
  }

  /** Adds `weight` · ⌊r / 2⌋ to selfMerges[x] for each run of r ≥ 2 equal symbols x. */
  countRuns(split: readonly number[], weight: number): void {
    for (let i = 0; i + 1 < split.length;) {
      let end = i + 1;
      while (end < split.length && split[end] === split[i]) end++;
      if (end - i >= 2) this.selfMerges[split[i]!]! += weight * Math.floor((end - i) / 2);
      i = end;
    }
  }

  /** Whether (left, right) comes before (otherLeft, otherRight) in plain string order. */
  readonly sortsBefore = (left: number, right: number, otherLeft: number, otherRight: number): boolean => {
    const byLeft = byPlainOrder(this.text[left]!, this.text[otherLeft]!);
    if (byLeft !== 0) return byLeft < 0;
    return byPlainOrder(this.text[right]!, this.text[otherRight]!) < 0;
  };
}
