/**
 * Pending virtual timers, ordered by deadline and then by creation. A binary heap with lazy
 * removal: cleared timers stay in the heap, marked, and are skipped when they surface.
 */
export interface QueuedTimer {
  readonly deadline: number;
  readonly seq: number;
  /** Timers that do not keep a run alive (`unref()`) may still fire while other work remains. */
  readonly ref: boolean;
  readonly cancelled: boolean;
}

function earlier(a: QueuedTimer, b: QueuedTimer): boolean {
  return a.deadline < b.deadline || (a.deadline === b.deadline && a.seq < b.seq);
}

export class TimerQueue<T extends QueuedTimer> {
  private readonly heap: T[] = [];

  /** The earliest timer that is still armed, if any. */
  peek(): T | undefined {
    this.dropCancelled();
    return this.heap[0];
  }

  /** Removes and returns the earliest armed timer. */
  pop(): T | undefined {
    this.dropCancelled();
    return this.removeTop();
  }

  push(timer: T): void {
    const heap = this.heap;
    heap.push(timer);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!earlier(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  /** Forgets every timer. */
  clear(): void {
    this.heap.length = 0;
  }

  /** True when an armed timer keeps the run alive. */
  hasRefed(): boolean {
    return this.heap.some((t) => t.ref && !t.cancelled);
  }

  /** The armed timers, earliest first (for reports). */
  armed(): T[] {
    return this.heap.filter((t) => !t.cancelled).sort((a, b) => (earlier(a, b) ? -1 : 1));
  }

  private dropCancelled(): void {
    while (this.heap.length > 0 && this.heap[0]!.cancelled) this.removeTop();
  }

  private removeTop(): T | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last !== undefined) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && earlier(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && earlier(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    return top;
  }
}
