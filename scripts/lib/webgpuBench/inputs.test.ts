import { describe, expect, it } from 'vitest';
import { DEFAULT_ENGINE_SETTINGS } from '../../../src/core/domain/settings';
import { defaultCells, settingsFor, vocabFor } from './cellSpecs';
import { parseCell, parseOptions, resolveCells } from './inputs';

const defaults = { budgetMs: 20_000, minSteps: 2, maxSteps: 20 };

describe('the cells', () => {
  it('are the engine default preset at its default batch, and bert-tiny at 8×64', () => {
    const d = DEFAULT_ENGINE_SETTINGS;
    expect(defaultCells()).toEqual([
      { label: `default (${d.preset})`, preset: d.preset, batch: d.batchSize, seq: d.seqLength },
      { label: 'bert-tiny', preset: 'bert-tiny', batch: 8, seq: 64 },
    ]);
  });

  it('train with the engine defaults and their own preset, batch and length', () => {
    const s = settingsFor({ label: 'x', preset: 'bert-tiny', batch: 4, seq: 128 });
    expect(s).toEqual({ ...DEFAULT_ENGINE_SETTINGS, preset: 'bert-tiny', batchSize: 4, seqLength: 128 });
  });

  it('give micro its learned vocabulary and every other preset bert-base-uncased', () => {
    const vocabs = { bertVocab: 'bert', microVocab: 'micro' };
    expect(vocabFor('micro', vocabs)).toBe('micro');
    expect(vocabFor('bert-tiny', vocabs)).toBe('bert');
    expect(vocabFor('some-new-preset', vocabs)).toBe('bert');
  });
});

describe('parseOptions', () => {
  it('takes the defaults when given nothing', () => {
    expect(parseOptions([], defaults)).toEqual({ cells: null, paths: ['stock', 'fused'], ...defaults });
  });

  it('reads cells, paths and the step limits', () => {
    const o = parseOptions(
      ['--cells', 'default,bert-tiny:32x128', '--paths', 'fused', '--budget-ms', '500', '--max-steps', '7'],
      defaults,
    );
    expect(o.cells).toEqual([
      { label: 'default', preset: 'default', batch: 8, seq: 64 },
      { label: 'bert-tiny', preset: 'bert-tiny', batch: 32, seq: 128 },
    ]);
    expect(o.paths).toEqual(['fused']);
    expect(o.budgetMs).toBe(500);
    expect(o.maxSteps).toBe(7);
  });

  it('never runs fewer steps than --min-steps asks for', () => {
    expect(parseOptions(['--min-steps', '5', '--max-steps', '3'], defaults).maxSteps).toBe(5);
  });

  it('refuses what it cannot read', () => {
    expect(() => parseOptions(['--paths', 'stock,fast'], defaults)).toThrow(/--paths/);
    expect(() => parseOptions(['--min-steps', '0'], defaults)).toThrow(/--min-steps/);
    expect(() => parseOptions(['--budget-ms', 'soon'], defaults)).toThrow(/--budget-ms/);
    expect(() => parseCell('bert tiny')).toThrow(/preset:BxT/);
  });
});

describe('resolveCells', () => {
  it('puts the engine default cell where the command line says default', () => {
    const d = defaultCells();
    expect(resolveCells(null, d)).toEqual(d);
    expect(resolveCells([parseCell('bert-tiny:2x16'), parseCell('default')], d)).toEqual([
      { label: 'bert-tiny', preset: 'bert-tiny', batch: 2, seq: 16 },
      d[0],
    ]);
  });
});
