import { describe, expect, it } from 'vitest';
import { lookupPlan } from './embeddings';

describe('lookupPlan', () => {
  it('lists each distinct id once, ascending, with its slots in ascending order (CSR)', () => {
    const plan = lookupPlan(Int32Array.from([5, 0, 5, 2, 0, 0, 9]));
    expect(Array.from(plan.uniqueIds)).toEqual([0, 2, 5, 9]);
    expect(Array.from(plan.slotStart)).toEqual([0, 3, 4, 6, 7]);
    expect(Array.from(plan.slots)).toEqual([1, 4, 5, 3, 0, 2, 6]);
  });

  it('covers every slot exactly once, under the id it holds', () => {
    const ids = Int32Array.from({ length: 200 }, (_, i) => (i * 7919) % 23);
    const plan = lookupPlan(ids);
    const seen = new Set<number>();
    plan.uniqueIds.forEach((id, u) => {
      for (let k = plan.slotStart[u]!; k < plan.slotStart[u + 1]!; k++) {
        expect(ids[plan.slots[k]!]).toBe(id);
        seen.add(plan.slots[k]!);
      }
    });
    expect(seen.size).toBe(ids.length);
    expect(plan.slotStart[plan.uniqueIds.length]).toBe(ids.length);
  });

  it('is empty for an empty batch', () => {
    const plan = lookupPlan(new Int32Array(0));
    expect(plan.uniqueIds).toHaveLength(0);
    expect(Array.from(plan.slotStart)).toEqual([0]);
  });
});
