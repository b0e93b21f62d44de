import { describe, expect, it } from 'vitest';
import { counterTargets, diffCounts, installCounters, writeBufferBytes, zeroCounts } from './counters';

/** Stand-ins for GPUComputePassEncoder, GPUQueue and GPUBuffer that log what reached them. */
function fakes() {
  const log: string[] = [];
  class Pass {
    constructor(readonly name: string) {}
    dispatchWorkgroups(x: number, y = 1, z = 1) {
      log.push(`${this.name}.dispatch ${x} ${y} ${z}`);
      return 'dispatched';
    }
    dispatchWorkgroupsIndirect(_buffer: unknown, offset: number) {
      log.push(`${this.name}.indirect ${offset}`);
    }
    setPipeline() {
      log.push('setPipeline');
    }
  }
  class Queue {
    submit(buffers: unknown[]) {
      log.push(`submit ${buffers.length}`);
    }
    writeBuffer(_b: unknown, _o: number, data: ArrayBufferView | ArrayBuffer) {
      log.push(`write ${data.byteLength}`);
    }
  }
  class Buffer {
    mapAsync(mode: number) {
      log.push(`map ${mode}`);
      return Promise.resolve();
    }
  }
  const scope = { GPUComputePassEncoder: Pass, GPUQueue: Queue, GPUBuffer: Buffer } as Record<
    string,
    unknown
  >;
  return { log, Pass, Queue, Buffer, scope };
}

describe('installCounters', () => {
  it('counts every call on every instance and still runs the original with its this and arguments', async () => {
    const { log, Pass, Queue, Buffer, scope } = fakes();
    const a = new Pass('a'); // made before the install: the prototype is what is wrapped
    const { counts, uninstall } = installCounters(counterTargets(scope));
    const b = new Pass('b');
    expect(a.dispatchWorkgroups(4, 2)).toBe('dispatched');
    b.dispatchWorkgroups(1);
    b.dispatchWorkgroupsIndirect({}, 16);
    b.setPipeline();
    const q = new Queue();
    q.submit([{}, {}]);
    q.submit([{}]);
    q.writeBuffer({}, 0, new Float32Array(10));
    await new Buffer().mapAsync(1);
    expect(log).toEqual([
      'a.dispatch 4 2 1',
      'b.dispatch 1 1 1',
      'b.indirect 16',
      'setPipeline',
      'submit 2',
      'submit 1',
      'write 40',
      'map 1',
    ]);
    expect(counts).toEqual({
      dispatches: 3,
      submits: 2,
      commandBuffers: 3,
      writeBuffers: 1,
      writeBufferBytes: 40,
      readbacks: 1,
    });
    uninstall();
    a.dispatchWorkgroups(1);
    q.submit([]);
    expect(counts.dispatches).toBe(3);
    expect(counts.submits).toBe(2);
  });

  it('refuses to wrap a prototype twice, which would count every call twice', () => {
    const { scope } = fakes();
    const first = installCounters(counterTargets(scope));
    expect(() => installCounters(counterTargets(scope))).toThrow(/already counted/);
    first.uninstall();
    installCounters(counterTargets(scope)).uninstall();
  });

  it('skips classes and methods a scope does not have', () => {
    const { counts } = installCounters(counterTargets({ GPUQueue: class {} }));
    expect(counts).toEqual(zeroCounts());
  });
});

describe('writeBufferBytes', () => {
  it('counts dataOffset and size in elements of a typed array and in bytes of an ArrayBuffer', () => {
    const f = new Float32Array(100);
    expect(writeBufferBytes([{}, 0, f])).toBe(400);
    expect(writeBufferBytes([{}, 0, f, 10])).toBe(360);
    expect(writeBufferBytes([{}, 0, f, 10, 5])).toBe(20);
    expect(writeBufferBytes([{}, 0, f.buffer, 8])).toBe(392);
    expect(writeBufferBytes([{}, 0, f.buffer, 8, 12])).toBe(12);
  });
});

describe('diffCounts', () => {
  it('is the field-by-field difference', () => {
    const before = { ...zeroCounts(), dispatches: 5, submits: 1, readbacks: 2 };
    const after = { ...zeroCounts(), dispatches: 105, submits: 4, readbacks: 3, writeBuffers: 7 };
    expect(diffCounts(after, before)).toEqual({
      ...zeroCounts(),
      dispatches: 100,
      submits: 3,
      readbacks: 1,
      writeBuffers: 7,
    });
  });
});
