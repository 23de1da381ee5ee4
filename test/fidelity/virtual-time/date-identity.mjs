import { statSync } from 'node:fs';
import { types } from 'node:util';
import { runInNode } from './run-in-node.mjs';

// Date's identity: its instances' constructor, its name, length and own properties, its
// prototype's constructor, subclasses (which read the clock too and are instanceof both ways),
// Date.UTC, Date.parse, and Date called without new.
export function main(seen) {
  class Stamp extends Date {
    label() {
      return `stamp ${this.getUTCFullYear()}`;
    }
  }
  const stamp = new Stamp();
  const plain = new Date();
  seen.constructor = plain.constructor === Date;
  seen.name = Date.name;
  seen.length = Date.length;
  seen.prototypeConstructor = Date.prototype.constructor === Date;
  seen.ownNames = Object.getOwnPropertyNames(Date);
  seen.prototypeOfDate = Object.getPrototypeOf(Date) === Function.prototype;
  seen.prototypeFixed = Object.getOwnPropertyDescriptor(Date, 'prototype');
  seen.prototypeFixed = { writable: seen.prototypeFixed.writable, configurable: seen.prototypeFixed.configurable };
  seen.subclass = {
    instanceOfSubclass: stamp instanceof Stamp,
    instanceOfDate: stamp instanceof Date,
    prototype: Object.getPrototypeOf(stamp) === Stamp.prototype,
    constructor: stamp.constructor === Stamp,
    method: stamp.label() === `stamp ${plain.getUTCFullYear()}`,
    readsTheClock: Math.abs(stamp.getTime() - Date.now()) < 5,
    isDate: types.isDate(stamp),
    statics: Stamp.now === Date.now && Stamp.UTC === Date.UTC,
    withArguments: new Stamp(0).toISOString(),
  };
  // Dates Node makes itself are dates of the global Date too.
  seen.nodeMadeDate = statSync('.').mtime instanceof Date && statSync('.').mtime.constructor === Date;
  seen.dateInstanceOfObject = plain instanceof Object && Object.prototype.toString.call(plain);
  seen.utc = Date.UTC(2020, 1, 29, 12);
  seen.parse = Date.parse('2020-02-29T12:00:00Z');
  seen.called = { type: typeof Date(), ignoresArguments: Date(0) === Date() };
  seen.nowMatchesNew = Math.abs(Date.now() - new Date().getTime()) < 5;
  seen.invalid = String(new Date(undefined));
  seen.fromParts = new Date(2020, 1, 29).getDate();
}

runInNode(import.meta.url, main);
