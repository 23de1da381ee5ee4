import { setFlagsFromString } from 'node:v8';

/**
 * Turns off V8's allocation-site pretenuring while exploring, and back on afterwards.
 *
 * Why: an execution keeps its steps (continuations, their promises, the decisions) until it
 * ends, so when a young-generation GC happens mid-run those allocation sites look
 * long-lived, and V8 starts allocating them straight in the old generation. They die a
 * millisecond later, but as old objects: each young GC then treats them as roots, keeps
 * what they point to alive and promotes it, and full GCs follow. Measured on the 8 × 10
 * throughput workload: 3.6 MB survived each young GC with pretenuring, 64 KB without, and
 * exploration ran 1.5–1.7× faster (CPU time). The flag only changes where V8 allocates.
 */
export function suspendPretenuring(): () => void {
  setFlagsFromString('--no-allocation-site-pretenuring');
  return () => setFlagsFromString('--allocation-site-pretenuring');
}
