// The code under test: subscribers that register a `.then` callback on one shared promise. Node
// runs the reactions to one promise in the order they were registered, back to back: nothing
// queued later (even by the first callback) runs between them.
export class Signal {
  readonly registered: string[] = [];
  readonly ran: string[] = [];
  /** How many subscribers had registered when the signal fired. */
  registeredWhenFired = -1;
  readonly fired: Promise<void>;
  private readonly resolve: () => void;

  constructor() {
    let resolve!: () => void;
    this.fired = new Promise<void>((done) => (resolve = done));
    this.resolve = resolve;
  }

  fire(): void {
    this.registeredWhenFired = this.registered.length;
    this.resolve();
  }

  subscribe(name: string): Promise<void> {
    this.registered.push(name);
    return this.fired.then(() => {
      this.ran.push(name);
      queueMicrotask(() => this.ran.push(`${name}'s microtask`));
    });
  }
}
