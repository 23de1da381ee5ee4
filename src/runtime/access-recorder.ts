import { types } from 'node:util';
import type { Footprint } from '../core/footprint.js';
import { isObjectLike } from '../core/is-object-like.js';

/**
 * Collects what the current step reads and writes, for partial-order reduction (`dpor`).
 * Tracking-mode instrumentation reports every access to possibly-shared memory; anything
 * it cannot see makes the step opaque (dependent on every other step), and code race-hunt
 * cannot see into at all makes the rest of the run opaque.
 *
 * Locations are strings (see `core/footprint.ts`): objects are numbered in the order this
 * execution first touches them, which is stable for every execution that shares the same
 * prefix of decisions; footprints are only ever compared within one execution.
 */
export class AccessRecorder {
  private readonly ids = new WeakMap<object, number>();
  private nextId = 0;
  private reads = new Set<string>();
  private writes = new Set<string>();
  private opaqueStep = false;
  private opaqueFromNowOn = false;
  /** Recording only during the steps of the user's tasks (not setup, checks, teardown). */
  active = false;

  /** `trusted`: the tasks and checks are tracked code; if not, nothing they do can be seen. */
  constructor(trusted: boolean) {
    this.opaqueFromNowOn = !trusted;
  }

  read(target: unknown, key: string): void {
    if (!this.active || !isObjectLike(target)) return;
    if (types.isProxy(target)) {
      // Looking up the owner would run the proxy's traps: count every property instead.
      this.reads.add(`o${this.idOf(target)}.*`);
      return;
    }
    this.reads.add(`o${this.idOf(target)}.${key}`);
    if (key.startsWith('#')) return;
    // Inherited: the value comes from a prototype, which someone may write (or shadow).
    for (let owner = target; !Object.prototype.hasOwnProperty.call(owner, key); ) {
      const proto = Object.getPrototypeOf(owner) as object | null;
      if (proto === null) return;
      if (types.isProxy(proto)) {
        this.reads.add(`o${this.idOf(proto)}.*`);
        return;
      }
      this.reads.add(`o${this.idOf(proto)}.${key}`);
      owner = proto;
    }
  }

  /** Every property, own and inherited (destructuring, iteration, spread, `in`). */
  readAll(target: unknown): void {
    if (!this.active || !isObjectLike(target)) return;
    this.reads.add(`o${this.idOf(target)}.*`);
    if (types.isProxy(target)) return;
    for (let proto = Object.getPrototypeOf(target) as object | null; proto !== null; ) {
      this.reads.add(`o${this.idOf(proto)}.*`);
      if (types.isProxy(proto)) return;
      proto = Object.getPrototypeOf(proto) as object | null;
    }
  }

  write(target: unknown, key: string): void {
    if (!this.active || !isObjectLike(target)) return;
    // Changing the prototype changes every inherited read.
    if (key === '__proto__') this.writeAll(target);
    else this.writes.add(`o${this.idOf(target)}.${key}`);
  }

  writeAll(target: unknown): void {
    if (!this.active || !isObjectLike(target)) return;
    this.writes.add(`o${this.idOf(target)}.*`);
  }

  readVariable(id: string): void {
    if (this.active) this.reads.add(`v:${id}`);
  }

  writeVariable(id: string): void {
    if (this.active) this.writes.add(`v:${id}`);
  }

  /** Reads anything at all (a deep copy, a conversion of an object race-hunt cannot see). */
  readEverything(): void {
    if (this.active) this.reads.add('*');
  }

  /** This step did something race-hunt cannot attribute: it conflicts with every step. */
  markStepOpaque(): void {
    if (this.active) this.opaqueStep = true;
  }

  /**
   * Code race-hunt cannot see into ran, or was handed to someone who may run it later: from
   * now on every step of this execution conflicts with every other.
   */
  markOpaqueFromNowOn(): void {
    if (this.active) this.opaqueFromNowOn = true;
  }

  /** Ends the current step: its footprint, and a fresh one for the next step. */
  takeFootprint(): Footprint {
    const footprint: Footprint = { reads: this.reads, writes: this.writes, opaque: this.opaqueStep || this.opaqueFromNowOn };
    this.reads = new Set();
    this.writes = new Set();
    this.opaqueStep = false;
    return footprint;
  }

  private idOf(target: object): number {
    let id = this.ids.get(target);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(target, id);
    }
    return id;
  }
}
