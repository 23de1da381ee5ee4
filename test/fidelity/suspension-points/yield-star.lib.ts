// The code under test: a feed that delivers the pending messages of a queue with `yield*` and
// counts the delivery from a count read before it. The queue is often empty: `yield*` still
// awaits its first step, and that await is the only one between the read and the write.
export class Feed {
  deliveries = 0;
  readonly queue: string[] = [];

  pending(): AsyncIterable<string> {
    const messages = this.queue.splice(0);
    return {
      [Symbol.asyncIterator]: () => ({
        next: () => Promise.resolve(messages.length === 0 ? { value: undefined, done: true as const } : { value: messages.shift()!, done: false as const }),
      }),
    };
  }
}

export async function* deliver(feed: Feed): AsyncGenerator<string> {
  const before = feed.deliveries;
  yield* feed.pending();
  feed.deliveries = before + 1;
}

export async function drain(feed: Feed): Promise<string[]> {
  const delivered: string[] = [];
  for await (const message of deliver(feed)) delivered.push(message);
  return delivered;
}
