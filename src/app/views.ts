import type { LabView } from '../store/types';

/** The lab's six views, in tab order, with the names the page and embed snippets show. */
export const VIEWS: readonly { readonly id: LabView; readonly label: string }[] = [
  { id: 'pack', label: 'Tokenize & Pack' },
  { id: 'vocab', label: 'Vocabulary' },
  { id: 'train', label: 'Training' },
  { id: 'sum', label: 'Embedding sum' },
  { id: 'learned', label: 'Learned rows' },
  { id: 'lesson', label: 'Lesson' },
];

export const viewLabel = (view: LabView): string => VIEWS.find((v) => v.id === view)?.label ?? view;

export const isLabView = (value: unknown): value is LabView => VIEWS.some((v) => v.id === value);
