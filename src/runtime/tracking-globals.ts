import { RUNTIME_GLOBALS } from '../instrument/runtime-names.js';
import type { AccessRecorder } from './access-recorder.js';
import type { Effect } from './native-effects.js';
import { EffectTable } from './native-effects.js';
import { standInEffects } from './virtual-environment.js';
import { isObjectLike } from '../core/is-object-like.js';

/**
 * The entry points of tracking-mode instrumentation (`instrument/track-accesses.ts`): each
 * reports an access to the recorder of the execution whose step is running, and hands its
 * argument back so that the rewritten expression keeps its value. Outside a recorded step
 * they only hand values back.
 */
let recorder: AccessRecorder | undefined;
let effects: EffectTable | undefined;

/** The recorder of the execution now running the user's tasks (undefined: none is tracking). */
export function setRecorder(next: AccessRecorder | undefined): void {
  recorder = next;
}

/** What calling `fn` does: `user` for tracked code (see native-effects.ts). */
export function effectOfFunction(fn: (...args: unknown[]) => unknown): Effect {
  // Made on first use, inside a runtime session: the stand-ins for timers and randomness are installed by then.
  effects ??= new EffectTable(standInOverrides());
  return effects.effectOf(fn);
}

function standInOverrides(): Map<unknown, Effect> {
  const overrides = standInEffects();
  // The counting stand-ins for queueMicrotask and nextTick: the callbacks report their own accesses.
  overrides.set(globalThis.queueMicrotask, 'none');
  overrides.set(process.nextTick, 'none');
  return overrides;
}

/** The one location each kind of race-hunt-held state counts as: every call reads and writes it. */
const SHARED_STATE = { timers: 'race-hunt:timers', random: 'race-hunt:random', settle: 'race-hunt:settle' } as const;

type Combinator = (this: PromiseConstructor, values: Iterable<unknown>) => Promise<unknown>;

/**
 * Stand-ins for the promise combinators, which `__rh$cm(Promise, "race")` hands back as the
 * receiver of the call: each input is watched so that whichever step settles it records a
 * write of one token per call, losing settles included (the promise hooks see only the
 * winning one), before the real combinator sees the input.
 */
const watchedCombinators: Record<string, Combinator> = {};
const realStatics: Record<string, unknown> = {};
for (const key of ['all', 'allSettled', 'race', 'any'] as const) {
  const real = Promise[key] as Combinator;
  realStatics[key] = real;
  watchedCombinators[key] = function watched(values: Iterable<unknown>): Promise<unknown> {
    const token = {};
    recorder?.readAll(values);
    const watch = (value: unknown): Promise<unknown> => {
      // Subscribing to an input is a write of it, as an await is.
      recorder?.writeAll(value);
      return Promise.resolve(value).then(
        (result) => {
          recorder?.writeAll(token);
          return result;
        },
        (error: unknown) => {
          recorder?.writeAll(token);
          throw error;
        },
      );
    };
    return real.call(Promise, Array.from(values, watch));
  };
}

function applyEffect(r: AccessRecorder, fn: (...args: unknown[]) => unknown, receiver: unknown): void {
  const effect = effectOfFunction(fn);
  switch (effect) {
    case 'user':
    case 'none':
      return;
    case 'readReceiver':
      r.readAll(receiver);
      return;
    case 'writeReceiver':
      r.readAll(receiver);
      r.writeAll(receiver);
      return;
    case 'readEverything':
      r.readEverything();
      return;
    case 'opaqueStep':
      r.markStepOpaque();
      return;
    case 'timers':
    case 'random':
    case 'settle': {
      const location = SHARED_STATE[effect];
      r.readVariable(location);
      r.writeVariable(location);
      return;
    }
    case 'callTarget':
      // `f.call(thisArg, …)`: f runs with a receiver race-hunt does not see.
      if (typeof receiver !== 'function') r.markStepOpaque();
      else applyEffectWithoutReceiver(r, receiver as (...args: unknown[]) => unknown);
      return;
    case 'unknown':
      r.markOpaqueFromNowOn();
      return;
  }
}

function applyEffectWithoutReceiver(r: AccessRecorder, fn: (...args: unknown[]) => unknown): void {
  const effect = effectOfFunction(fn);
  if (effect === 'readReceiver' || effect === 'writeReceiver' || effect === 'callTarget') r.markStepOpaque();
  else applyEffect(r, fn, undefined);
}

function read(target: unknown, key: string): unknown {
  recorder?.read(target, key);
  return target;
}

function readAll(target: unknown): unknown {
  recorder?.readAll(target);
  return target;
}

function write(target: unknown, key: string): unknown {
  if (recorder !== undefined) {
    recorder.read(target, key);
    recorder.write(target, key);
  }
  return target;
}

function writeAll(target: unknown): unknown {
  recorder?.writeAll(target);
  return target;
}

/** An operand converted to a primitive: its conversion methods read it (an array's, its elements, deeply). */
function toPrimitive(value: unknown): unknown {
  if (recorder?.active && isObjectLike(value)) {
    if (Array.isArray(value)) recorder.readEverything();
    else recorder.readAll(value);
  }
  return value;
}

function readVariable(id: string): void {
  recorder?.readVariable(id);
}

function writeVariable(id: string): void {
  recorder?.writeVariable(id);
}

function callee(fn: unknown): unknown {
  if (recorder?.active && typeof fn === 'function') applyEffect(recorder, fn as (...args: unknown[]) => unknown, undefined);
  return fn;
}

/**
 * `o.k(…)` runs as `__rh$cm(o, "k").k(…)`. While a step is recorded this makes the one lookup of
 * `o[k]` (a getter of `o`, or a proxy's trap, runs here and only here: the code's own `.k` reads
 * the object returned) and returns an object whose `k` calls the function with receiver `o`,
 * reporting what the call does when it is made — in the step that makes it, after the arguments,
 * which may await. A `k` that is not a function is handed on as it is: the code's call throws its
 * TypeError (its message names the call as `(intermediate value).k`), or `?.()` short-circuits.
 */
function memberCall(target: unknown, key: string): unknown {
  const r = recorder;
  if (!r?.active || target === null || target === undefined) return target;
  r.read(target, key);
  if (target === Promise && Object.hasOwn(watchedCombinators, key) && Promise[key as 'all'] === realStatics[key]) return watchedCombinators;
  const fn = (target as Record<string, unknown>)[key];
  if (typeof fn !== 'function') return { [key]: fn };
  return {
    [key](...args: unknown[]): unknown {
      recordCall(fn, target);
      return Reflect.apply(fn, target, args);
    },
  };
}

/**
 * A function handed to a call: whoever receives it may run it later, in another step, where
 * race-hunt does not see the call. Tracked code reports its own accesses; a promise's resolve
 * function settles a promise, which the promise hooks see (but not a losing second attempt made
 * from built-in code, such as `p.then(resolve)` racing another settle of the same promise: a
 * gap stated in the README). Anything else is code race-hunt cannot follow.
 */
function argument(value: unknown): unknown {
  if (recorder?.active && typeof value === 'function') {
    const effect = effectOfFunction(value as (...args: unknown[]) => unknown);
    if (effect !== 'user' && effect !== 'none' && effect !== 'settle') recorder.markOpaqueFromNowOn();
  }
  return value;
}

function opaque(): void {
  recorder?.markStepOpaque();
}

/** Whether a recorded step is running (the gates then report what they do on the code's behalf). */
export function isRecording(): boolean {
  return recorder?.active === true;
}

/** The gates' report of a property read they make for the code (`p.then`, looked up once). */
export function recordRead(target: unknown, key: string): void {
  recorder?.read(target, key);
}

/** The gates' report of an iterable read again by a later step of its iteration (`yield*`). */
export function recordReadAll(target: unknown): void {
  recorder?.readAll(target);
}

/** The gates' report of a step that did something they cannot name (it conflicts with every step). */
export function recordOpaqueStep(): void {
  recorder?.markStepOpaque();
}

/**
 * The gates' report of a call they make for the code, `fn` with receiver `receiver` (a promise's
 * `then`, a delegate iterator's `next`, a dispose method): what `__rh$cm` reports for a call the
 * code makes itself, without looking the function up again.
 */
export function recordCall(fn: unknown, receiver: unknown): void {
  if (recorder?.active && typeof fn === 'function') applyEffect(recorder, fn as (...args: unknown[]) => unknown, receiver);
}

/** An instrumented await registers a reaction on what it awaits: a write of that promise. */
export function recordAwait(value: unknown): void {
  recorder?.writeAll(value);
}

/** A promise settled during the step (V8's promise hooks): a write of it. */
export function recordSettled(promise: Promise<unknown>): void {
  recorder?.writeAll(promise);
}

/** Installs the entry points on the global object (idempotent; inert outside recorded steps). */
export function installTrackingGlobals(): void {
  const g = globalThis as Record<string, unknown>;
  g[RUNTIME_GLOBALS.read] = read;
  g[RUNTIME_GLOBALS.readAll] = readAll;
  g[RUNTIME_GLOBALS.write] = write;
  g[RUNTIME_GLOBALS.writeAll] = writeAll;
  g[RUNTIME_GLOBALS.toPrimitive] = toPrimitive;
  g[RUNTIME_GLOBALS.readVariable] = readVariable;
  g[RUNTIME_GLOBALS.writeVariable] = writeVariable;
  g[RUNTIME_GLOBALS.callee] = callee;
  g[RUNTIME_GLOBALS.memberCall] = memberCall;
  g[RUNTIME_GLOBALS.argument] = argument;
  g[RUNTIME_GLOBALS.opaque] = opaque;
  g[RUNTIME_GLOBALS.functionMark] = undefined;
}
