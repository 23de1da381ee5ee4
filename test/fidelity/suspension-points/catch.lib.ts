// The code under test: a payment that falls back on the wallet when the card is declined,
// with the balance read before the charge and written in the `.catch` callback.
export class Wallet {
  balance = 10;

  chargeCard(_amount: number): Promise<string> {
    return Promise.reject(new Error('card declined'));
  }

  pay(amount: number): Promise<string> {
    const balance = this.balance;
    return this.chargeCard(amount).catch(() => {
      this.balance = balance - amount;
      return 'paid from the wallet';
    });
  }
}
