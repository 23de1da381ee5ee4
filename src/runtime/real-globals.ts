/**
 * The process's own timers, clock and randomness, captured when race-hunt loads and before
 * anything is patched. race-hunt's own machinery (quiescence checks, progress, timing) uses
 * only these, so it keeps working while a scenario sees virtual ones.
 */
export const real = {
  setTimeout: globalThis.setTimeout,
  clearTimeout: globalThis.clearTimeout,
  setInterval: globalThis.setInterval,
  clearInterval: globalThis.clearInterval,
  setImmediate: globalThis.setImmediate,
  clearImmediate: globalThis.clearImmediate,
  Date: globalThis.Date,
  dateNow: Date.now,
  performanceNow: performance.now.bind(performance),
  mathRandom: Math.random,
} as const;
