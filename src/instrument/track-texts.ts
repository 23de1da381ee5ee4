import { RUNTIME_GLOBALS as G } from './runtime-names.js';

// Texts every part of the tracking rewrite (track-accesses.ts and the modules it delegates to) writes.

/** The report that makes the current step opaque: it conflicts with every other step. */
export const OPAQUE = `${G.opaque}()`;

/** `text` as a string literal of JavaScript. */
export const literal = (text: string): string => JSON.stringify(text);
