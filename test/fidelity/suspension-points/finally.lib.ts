// The code under test: requests counted as completed in a `.finally` callback, from a count
// read when the request was sent.
export class Requests {
  completed = 0;

  transport(): Promise<string> {
    return Promise.resolve('200 OK');
  }

  send(): Promise<string> {
    const before = this.completed;
    return this.transport().finally(() => {
      this.completed = before + 1;
    });
  }
}
