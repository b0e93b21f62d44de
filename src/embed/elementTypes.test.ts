/**
 * The shipped bert-embedding-lab.d.ts against the implementation. The checks are types: `tsc`
 * (npm run typecheck) fails when a declared type and the code's drift apart; the test itself only
 * makes the file part of the suite.
 */
import { describe, expect, it } from 'vitest';
import type { ShareState } from '../store/share/state';
import type { LabView } from '../store/types';
import type {
  BertEmbeddingLabAttributes,
  BertEmbeddingLabElement as Declared,
  LabReadyDetail,
  LabState,
  LabStepDetail,
  LabView as DeclaredView,
} from './bert-embedding-lab';
import type { ATTRIBUTES, BertEmbeddingLabElement } from './element';
import type { ReadyPayload, StepPayload } from './reports';

/** True only when A and B are the same type (not merely assignable one way). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

const checks = {
  view: true satisfies Equal<DeclaredView, LabView>,
  state: true satisfies Equal<LabState, ShareState>,
  ready: true satisfies Equal<LabReadyDetail, ReadyPayload>,
  step: true satisfies Equal<LabStepDetail, StepPayload>,
  attributes: true satisfies Equal<keyof BertEmbeddingLabAttributes, (typeof ATTRIBUTES)[number]>,
  // The class implements the declared interface (element.tsx says `implements`), and the tag maps to it.
  element: true satisfies BertEmbeddingLabElement extends Declared ? true : false,
  tag: true satisfies Equal<HTMLElementTagNameMap['bert-embedding-lab'], Declared>,
  events: true satisfies Equal<HTMLElementEventMap['lab-step'], CustomEvent<StepPayload>>,
};

describe('bert-embedding-lab.d.ts', () => {
  it('matches the implementation (checked by tsc)', () => {
    expect(Object.values(checks).every(Boolean)).toBe(true);
  });
});
