/**
 * Host messages that the embedded view cannot do: training sent to a view that does not show the
 * model. Refused with a reason, before anything runs, so no training Worker starts for nothing.
 */
import { fieldsOf } from '../store/share/schema';
import { hasTrainingFields } from '../store/share/state';
import type { LabView } from '../store/types';
import type { HostMessage } from './hostApi';

/**
 * Why the views that do not show the model refuse training: what they are instead. Training,
 * Embedding sum (the model's own lookups and LayerNorm at its current step, with a row's norm
 * plotted step by step) and Learned rows (the trained rows, with Step and Play of their own) show
 * the model as it trains, so they take `step`, `play` and training fields.
 */
const NOT_TRAINING: Partial<Record<LabView, string>> = {
  pack: 'Tokenize & Pack shows the tokenizer, not the model, and does not train',
  vocab: 'the Vocabulary view trains a WordPiece vocabulary, not the model',
  lesson: 'the Lesson trains its own copy of the model, from each chapter’s Run button',
};

/** Why `view` does not train the model, or null when it shows the model training. */
export function notTraining(view: LabView): string | null {
  return NOT_TRAINING[view] ?? null;
}

/** A host message that the view on show cannot do; the message is an Error, for the element's methods. */
export class HostMessageRefused extends Error {
  override readonly name = 'HostMessageRefused';
}

/**
 * Why `view` refuses `message`, or null when it can run it. A message that trains the model (`step`,
 * `play`, `pause`, or a `setState` with a training field) is refused by a view that does not show
 * the model: it would start a training Worker that nothing on the page shows.
 */
export function refusalFor(view: LabView, message: HostMessage): string | null {
  // A setState that also switches the view is judged by the view it switches to.
  if (message.type === 'setState' && message.payload.view !== undefined && message.payload.view !== view)
    return refusalFor(message.payload.view, message);
  const why = NOT_TRAINING[view];
  if (why === undefined) return null;
  const instead = `embed=train (or sum or learned) to drive training`;
  switch (message.type) {
    case 'step':
    case 'play':
    case 'pause':
      return `${message.type} refused: ${why}; use ${instead}`;
    case 'setState': {
      if (!hasTrainingFields(message.payload)) return null;
      const field = fieldsOf('training').find(([name]) => message.payload[name] !== undefined)?.[0];
      return `setState refused, nothing applied: ${field ?? 'a field'} is a training field and ${why}; use ${instead}`;
    }
    case 'setTheme':
      return null;
  }
}
