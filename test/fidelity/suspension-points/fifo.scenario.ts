import { scenario } from 'race-hunt';
import { Signal } from './fifo.lib.js';

// Node runs x's and y's callbacks on one promise in registration order, back to back
// (fifo.node.mjs): no schedule Node can produce breaks the invariant. race-hunt must agree.
export default scenario('then: callbacks on one promise run in registration order', {
  setup: () => new Signal(),
  tasks: {
    x: (signal) => signal.subscribe('x'),
    y: (signal) => signal.subscribe('y'),
    opener: (signal) => signal.fire(),
  },
  invariant: (signal) => {
    const callbacks = signal.ran.filter((entry) => !entry.includes('microtask'));
    if (callbacks.join() !== signal.registered.join()) return `callbacks ran ${callbacks.join(', ')}, registered ${signal.registered.join(', ')}`;
    // Both registered before the opener fired: the two callbacks ran back to back, the microtasks after.
    if (signal.registeredWhenFired < 2) return true;
    return signal.ran[1] === callbacks[1] || `something ran between the callbacks: ${signal.ran.join(', ')}`;
  },
});
