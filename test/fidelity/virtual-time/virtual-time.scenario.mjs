import { scenario } from 'race-hunt';
import * as abortSignalTimeout from './abort-signal-timeout.mjs';
import * as abortSignalTimeoutArguments from './abort-signal-timeout-arguments.mjs';
import * as abortSignalTimeoutUnref from './abort-signal-timeout-unref.mjs';
import * as clearById from './clear-by-id.mjs';
import * as cryptoArguments from './crypto-arguments.mjs';
import * as dateIdentity from './date-identity.mjs';
import * as intervalOptions from './interval-options.mjs';
import * as intervalSlowConsumer from './interval-slow-consumer.mjs';
import * as processClocks from './process-clocks.mjs';
import * as promisifyTimers from './promisify-timers.mjs';
import * as timerPromiseOptions from './timer-promise-options.mjs';
import * as timerPromisesUnref from './timer-promises-unref.mjs';
import * as ttlCache from './ttl-cache.mjs';

/**
 * Each case of this folder as a scenario: its `main` runs as the one task, and once the run is
 * over the invariant reports what it saw (a probe: it always "fails", its message is the
 * observation), to be compared with what the same `main` saw under plain Node.
 */
const probe = (name, main) =>
  scenario(name, {
    setup: () => ({}),
    tasks: { main: (seen) => main(seen) },
    invariant: (seen) => JSON.stringify(seen),
  });

export const abortSignalTimeoutCase = probe('abort-signal-timeout', abortSignalTimeout.main);
export const abortSignalTimeoutArgumentsCase = probe('abort-signal-timeout-arguments', abortSignalTimeoutArguments.main);
export const abortSignalTimeoutUnrefCase = probe('abort-signal-timeout-unref', abortSignalTimeoutUnref.main);
export const clearByIdCase = probe('clear-by-id', clearById.main);
export const cryptoArgumentsCase = probe('crypto-arguments', cryptoArguments.main);
export const dateIdentityCase = probe('date-identity', dateIdentity.main);
export const intervalOptionsCase = probe('interval-options', intervalOptions.main);
export const intervalSlowConsumerCase = probe('interval-slow-consumer', intervalSlowConsumer.main);
export const processClocksCase = probe('process-clocks', processClocks.main);
export const promisifyTimersCase = probe('promisify-timers', promisifyTimers.main);
export const timerPromiseOptionsCase = probe('timer-promise-options', timerPromiseOptions.main);
export const timerPromisesUnrefCase = probe('timer-promises-unref', timerPromisesUnref.main);
export const ttlCacheCase = probe('ttl-cache', ttlCache.main);
