/**
 * Storage bindings for the generated kernels. A kernel names its operands (views into flat
 * buffers); several operands often live in the same buffer (γ and β in `params`, dγ and dβ in
 * `grads`, two activations in one scratch buffer). WebGPU forbids binding one buffer twice in a
 * dispatch when either binding is writable, so operands are grouped by buffer: each distinct
 * buffer is declared once, `read_write` when any of its operands is written, and every operand's
 * name in the generated WGSL resolves to that one binding. The element offsets stay uniforms.
 *
 * Only operands that are present are declared, so a kernel never declares an unused binding
 * (layout 'auto' would drop it and the bind group would not match).
 */
import type { View } from '../gpu';

export interface Operand {
  /** The name the kernel's WGSL template uses for this operand. */
  readonly name: string;
  readonly view: View;
  /** Whether the kernel writes this operand. */
  readonly write: boolean;
  /** Element type of the buffer; operands sharing a buffer must agree. Default f32. */
  readonly type?: 'f32' | 'i32' | 'u32';
}

export interface Bindings {
  /** WGSL declarations of bindings 1..n. */
  readonly declarations: string;
  /** The storage buffers, in binding order, for `Recorder.dispatch`. */
  readonly buffers: GPUBuffer[];
  /** Operand name -> the WGSL variable of its binding. */
  readonly ref: Readonly<Record<string, string>>;
}

/** Groups the operands by buffer, in order of first appearance; bindings start at 1. */
export function bindOperands(operands: readonly Operand[]): Bindings {
  const slots: { buffer: GPUBuffer; write: boolean; type: string }[] = [];
  const ref: Record<string, string> = {};
  for (const op of operands) {
    const type = op.type ?? 'f32';
    let index = slots.findIndex((s) => s.buffer === op.view.buffer);
    if (index < 0) {
      index = slots.length;
      slots.push({ buffer: op.view.buffer, write: op.write, type });
    } else {
      const slot = slots[index]!;
      if (slot.type !== type) {
        throw new TypeError(`Operand ${op.name} is ${type} but shares a buffer of ${slot.type}.`);
      }
      slot.write ||= op.write;
    }
    ref[op.name] = `buf${index + 1}`;
  }
  if (slots.length > 8) throw new RangeError(`${slots.length} storage buffers exceed the limit of 8.`);
  const declarations = slots
    .map(
      (s, i) =>
        `@group(0) @binding(${i + 1}) var<storage, ${s.write ? 'read_write' : 'read'}> buf${i + 1}: array<${s.type}>;`,
    )
    .join('\n');
  return { declarations, buffers: slots.map((s) => s.buffer), ref };
}
