import { scenario } from 'race-hunt';
import { ConnectionPool, DatabaseServer } from './lib/connection-pool.js';

// A pool of 2 counts a slot only after its connection is open, so three queries that start
// together can all connect at once. Nothing is left open at the end: only `always`, checked
// after every step, sees the moment the server's limit is exceeded.
export default scenario('pool limit (buggy): a pool of 2 opens 3 connections at once', {
  setup: () => {
    const server = new DatabaseServer(2);
    return { server, pool: new ConnectionPool(server, 2), results: [] as string[] };
  },
  tasks: {
    orders: async ({ pool, results }) => {
      results.push(...(await pool.query('orders')));
    },
    invoices: async ({ pool, results }) => {
      results.push(...(await pool.query('invoices')));
    },
    reports: async ({ pool, results }) => {
      results.push(...(await pool.query('reports')));
    },
  },
  always: ({ server }) => server.open <= server.maxConnections || `${server.open} connections open; the server allows ${server.maxConnections}`,
  invariant: ({ results }) => results.length === 3 || `${results.length} of 3 queries answered`,
});
