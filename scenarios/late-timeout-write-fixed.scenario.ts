import { scenario } from 'race-hunt';
import { Checkout, PaymentGateway } from './lib/checkout.js';

// The timeout aborts the attempt as it fires, and the charge's continuation checks the abort
// signal before writing, so a late answer can no longer overturn what the customer was told.
export default scenario('late timeout write (fixed): an aborted charge does not write', {
  setup: () => new Checkout(new PaymentGateway()),
  tasks: {
    customer: (checkout) => checkout.payWithAbort(4_999),
  },
  invariant: (checkout) =>
    checkout.status === checkout.toldCustomer || `the customer was told "${checkout.toldCustomer}" but the order is "${checkout.status}"`,
});
