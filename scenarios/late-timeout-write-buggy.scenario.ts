import { scenario } from 'race-hunt';
import { Checkout, PaymentGateway } from './lib/checkout.js';

// Checkout gives up on a slow charge after 5 s and tells the customer it failed, but the charge
// keeps running: its late answer (6–9 s, in virtual time) still marks the order paid.
export default scenario('late timeout write (buggy): a charge answering after the timeout still writes', {
  setup: () => new Checkout(new PaymentGateway()),
  tasks: {
    customer: (checkout) => checkout.pay(4_999),
  },
  invariant: (checkout) =>
    checkout.status === checkout.toldCustomer || `the customer was told "${checkout.toldCustomer}" but the order is "${checkout.status}"`,
});
