import { scenario } from 'race-hunt';
import { ConnectionPool, DatabaseServer } from './lib/connection-pool.js';

// The pool claims a slot in the same step as it checks for one, before awaiting the
// connection, so at most 2 connections are ever open; `always` checks that after every step.
export default scenario('pool limit (fixed): the slot is claimed before connecting', {
  setup: () => {
    const server = new DatabaseServer(2);
    return { server, pool: new ConnectionPool(server, 2), results: [] as string[] };
  },
  tasks: {
    orders: async ({ pool, results }) => {
      results.push(...(await pool.queryWithinLimit('orders')));
    },
    invoices: async ({ pool, results }) => {
      results.push(...(await pool.queryWithinLimit('invoices')));
    },
    reports: async ({ pool, results }) => {
      results.push(...(await pool.queryWithinLimit('reports')));
    },
  },
  always: ({ server }) => server.open <= server.maxConnections || `${server.open} connections open; the server allows ${server.maxConnections}`,
  invariant: ({ results }) => results.length === 3 || `${results.length} of 3 queries answered`,
});
