import { ensureBertVocab } from './vocab.mjs';

/** Unit tests read the converted vocabulary from public/vocab/, exactly as the page does. */
export default function setup(): void {
  ensureBertVocab();
}
