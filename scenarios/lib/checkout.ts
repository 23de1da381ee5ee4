import { setTimeout as sleep } from 'node:timers/promises';

/** How long checkout waits for the payment provider before it gives up. */
export const PAYMENT_TIMEOUT_MS = 5_000;

/** The payment provider's SDK. The provider is degraded today: a charge takes 6–9 s. It cannot be cancelled. */
export class PaymentGateway {
  async charge(amountCents: number): Promise<string> {
    const latency = 6_000 + Math.floor(Math.random() * 3_000);
    await sleep(latency); // the provider processes the charge
    return `receipt for ${amountCents} cents`;
  }
}

type Outcome = 'paid' | 'timed out';

/** One order's checkout. The customer is told the outcome once; the order's status must agree. */
export class Checkout {
  status: 'pending' | 'paid' | 'failed' = 'pending';
  /** What the customer saw on the confirmation page. */
  toldCustomer: 'paid' | 'failed' | undefined;
  receipt: string | undefined;

  constructor(private readonly gateway: PaymentGateway) {}

  /**
   * Buggy: races the charge against a timeout and reports a failure on timeout, but the charge
   * is still running: when its answer arrives, it marks the order paid anyway.
   */
  async pay(amountCents: number): Promise<void> {
    const charged = this.chargeAndRecord(amountCents);
    const timedOut = new Promise<Outcome>((resolve) => setTimeout(resolve, PAYMENT_TIMEOUT_MS, 'timed out'));
    const outcome = await Promise.race([charged, timedOut]);
    this.decide(outcome);
  }

  /**
   * Fixed: the timeout aborts the attempt at the moment it fires, and the charge's continuation
   * checks the signal before it writes, so an answer that arrives after the timeout is ignored.
   * (A real shop would also void the late charge; the point here is that it no longer writes.)
   */
  async payWithAbort(amountCents: number): Promise<void> {
    const attempt = new AbortController();
    const charged = this.chargeAndRecord(amountCents, attempt.signal);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<Outcome>((resolve) => {
      timer = setTimeout(() => {
        attempt.abort();
        resolve('timed out');
      }, PAYMENT_TIMEOUT_MS);
    });
    const outcome = await Promise.race([charged, timedOut]);
    clearTimeout(timer);
    this.decide(outcome);
  }

  private async chargeAndRecord(amountCents: number, signal?: AbortSignal): Promise<Outcome> {
    const receipt = await this.gateway.charge(amountCents);
    if (signal?.aborted) return 'timed out'; // we already gave up on this attempt
    this.status = 'paid';
    this.receipt = receipt;
    return 'paid';
  }

  private decide(outcome: Outcome): void {
    if (outcome === 'timed out') this.status = 'failed';
    this.toldCustomer = outcome === 'paid' ? 'paid' : 'failed';
  }
}
