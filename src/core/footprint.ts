/**
 * What one scheduling step touched. Location strings:
 *  `o<id>.<key>`  property <key> of object <id> (ids are per execution),
 *  `o<id>.*`      every property of object <id>,
 *  `v:<name>`     a shared variable,
 *  `n:<key>`      property name <key> on any object (read through a prototype chain; every
 *                 property write also writes `n:<key>`),
 *  `*`            (reads only) every location.
 * Any other string is a location that conflicts only with itself, as `v:` does.
 */
export interface Footprint {
  readonly reads: ReadonlySet<string>;
  readonly writes: ReadonlySet<string>;
  /** The step did something untracked: it conflicts with every step. */
  readonly opaque: boolean;
}

export const OPAQUE: Footprint = Object.freeze({ reads: new Set<string>(), writes: new Set<string>(), opaque: true });

/** A location, parsed once: what it conflicts with depends on its kind. */
export type ParsedLocation =
  | { readonly kind: 'key' | 'object'; readonly location: string; readonly object: string }
  | { readonly kind: 'name' | 'exact'; readonly location: string };

/** A footprint prepared for comparing against many others (see `indexFootprint`). */
export interface FootprintIndex {
  readonly opaque: boolean;
  readonly reads: ReadonlySet<string>;
  readonly writes: ReadonlySet<string>;
  /** The locations read and written, parsed; `*` only as `readsAll`. */
  readonly readLocations: readonly ParsedLocation[];
  readonly writeLocations: readonly ParsedLocation[];
  readonly readsAll: boolean;
  readonly readsNames: boolean;
  /** Ids of the objects it reads or writes any property of. */
  readonly objects: ReadonlySet<string>;
  /** Ids of the objects it reads or writes as a whole (`o<id>.*`). */
  readonly wholeObjects: ReadonlySet<string>;
}

/** Parses a location by hand (no regular expression: footprints hold hundreds of locations). */
function parse(location: string): ParsedLocation {
  if (location.startsWith('n:')) return { kind: 'name', location };
  const dot = location.indexOf('.');
  if (location.charCodeAt(0) !== 0x6f /* o */ || dot < 2 || !isDigits(location, 1, dot)) return { kind: 'exact', location };
  const whole = dot === location.length - 2 && location.charCodeAt(dot + 1) === 0x2a; /* * */
  return { kind: whole ? 'object' : 'key', location, object: location.slice(1, dot) };
}

function isDigits(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

const NONE: ReadonlySet<string> = new Set();

/** Parses a footprint's locations once; comparing two indexes is then cheap. */
export function indexFootprint(footprint: Footprint): FootprintIndex {
  const parseAll = (locations: ReadonlySet<string>): ParsedLocation[] => {
    const out: ParsedLocation[] = [];
    for (const location of locations) if (location !== '*') out.push(parse(location));
    return out;
  };
  const readLocations = parseAll(footprint.reads);
  const writeLocations = parseAll(footprint.writes);
  const all = [...readLocations, ...writeLocations];
  const idsOf = (kinds: readonly string[]): ReadonlySet<string> =>
    new Set(all.flatMap((l) => (kinds.includes(l.kind) && 'object' in l ? [l.object] : [])));
  let objects: ReadonlySet<string> | undefined;
  return {
    // `*` is for reads; a write of it can only mean "anything": the step is opaque.
    opaque: footprint.opaque || footprint.writes.has('*'),
    reads: footprint.reads,
    writes: footprint.writes,
    readLocations,
    writeLocations,
    readsAll: footprint.reads.has('*'),
    readsNames: readLocations.some((l) => l.kind === 'name'),
    // Only a write of a whole object asks for these: most steps never build them.
    get objects() {
      return (objects ??= idsOf(['key', 'object']));
    },
    wholeObjects: all.some((l) => l.kind === 'object') ? idsOf(['object']) : NONE,
  };
}

/** Does one of `writer`'s writes conflict with something `other` reads or writes? */
function writesInto(writer: FootprintIndex, other: FootprintIndex): boolean {
  if (writer.writeLocations.length > 0 && other.readsAll) return true;
  for (const target of writer.writeLocations) {
    switch (target.kind) {
      case 'key':
        if (other.reads.has(target.location) || other.writes.has(target.location) || other.wholeObjects.has(target.object)) return true;
        break;
      case 'object':
        if (other.objects.has(target.object) || other.readsNames) return true;
        break;
      case 'name':
        // Writes of one name on different objects are told apart by their `o<id>.<key>` writes.
        if (other.reads.has(target.location)) return true;
        break;
      case 'exact':
        if (other.reads.has(target.location) || other.writes.has(target.location)) return true;
        break;
    }
  }
  return false;
}

/** `conflicts` on indexes: for comparing each of many steps with many others. */
export function indexesConflict(a: FootprintIndex, b: FootprintIndex): boolean {
  if (a.opaque || b.opaque) return true;
  return writesInto(a, b) || writesInto(b, a);
}

const indexes = new WeakMap<Footprint, FootprintIndex>();

function cachedIndex(footprint: Footprint): FootprintIndex {
  let index = indexes.get(footprint);
  if (index === undefined) {
    index = indexFootprint(footprint);
    indexes.set(footprint, index);
  }
  return index;
}

/**
 * True when the two steps may not commute: one writes what the other reads or writes (see
 * the location forms on `Footprint`), or either is opaque. Symmetric; two reads never conflict.
 */
export function conflicts(a: Footprint, b: Footprint): boolean {
  return indexesConflict(cachedIndex(a), cachedIndex(b));
}

/** Steps that read or wrote one location. */
interface LocationHistory {
  readers: number[];
  writers: number[];
}

/** Steps that touched one object: through a property (`o<id>.<key>`), or as a whole (`o<id>.*`). */
interface ObjectHistory {
  keyAccessors: number[];
  keyWriters: number[];
  wholeReaders: number[];
  wholeWriters: number[];
}

/**
 * The footprints of one execution's steps so far, indexed by location, so that a new step is
 * compared with the earlier steps that touched what it touches rather than with all of them.
 * A write to a location supersedes the accesses to it before (they all conflict with the
 * write), as in FastTrack (Flanagan, Freund, PLDI 2009): those are forgotten.
 */
export class FootprintHistory {
  private readonly locations = new Map<string, LocationHistory>();
  private readonly objects = new Map<string, ObjectHistory>();
  /** Steps that read `*`, wrote anything, read any name, wrote any whole object, were opaque. */
  private readonly allReaders: number[] = [];
  private readonly anyWriters: number[] = [];
  private readonly nameReaders: number[] = [];
  private readonly wholeWriters: number[] = [];
  private readonly opaques: number[] = [];
  private size = 0;

  /**
   * Calls `visit` (possibly more than once, in no order) with earlier steps whose footprints
   * may conflict with `step`'s, to be checked with `indexesConflict`. An earlier step that
   * conflicts with it and is not visited happens before a visited one that does: the
   * transitive closure, and which conflicts are immediate, are those of all pairs.
   */
  candidates(step: FootprintIndex, visit: (earlier: number) => void): void {
    if (step.opaque) {
      for (let s = 0; s < this.size; s++) visit(s);
      return;
    }
    const all = (steps: readonly number[] | undefined): void => {
      if (steps !== undefined) for (const s of steps) visit(s);
    };
    all(this.opaques);
    if (step.writeLocations.length > 0) all(this.allReaders);
    if (step.readsAll) all(this.anyWriters);
    for (const read of step.readLocations) {
      if (read.kind === 'name') all(this.wholeWriters);
      if (read.kind === 'key' || read.kind === 'object') all(this.objects.get(read.object)?.wholeWriters);
      if (read.kind === 'object') all(this.objects.get(read.object)?.keyWriters);
      else all(this.locations.get(read.location)?.writers);
    }
    for (const write of step.writeLocations) {
      if (write.kind === 'object') {
        const object = this.objects.get(write.object);
        all(object?.keyAccessors);
        all(object?.wholeReaders);
        all(object?.wholeWriters);
        all(this.nameReaders);
        continue;
      }
      const location = this.locations.get(write.location);
      all(location?.readers);
      if (write.kind !== 'name') all(location?.writers);
      if (write.kind === 'key') {
        all(this.objects.get(write.object)?.wholeReaders);
        all(this.objects.get(write.object)?.wholeWriters);
      }
    }
  }

  /** Records the next step's footprint (steps are numbered from 0 in the order added). */
  add(step: FootprintIndex): void {
    const s = this.size++;
    if (step.opaque) this.opaques.push(s);
    if (step.readsAll) this.allReaders.push(s);
    if (step.writeLocations.length > 0) this.anyWriters.push(s);
    for (const read of step.readLocations) {
      if (read.kind === 'name') this.nameReaders.push(s);
      if (read.kind === 'object') this.objectOf(read.object).wholeReaders.push(s);
      else this.locationOf(read.location).readers.push(s);
      if (read.kind === 'key') this.objectOf(read.object).keyAccessors.push(s);
    }
    for (const write of step.writeLocations) {
      if (write.kind === 'object') {
        this.wholeWriters.push(s);
        // Every access to the object so far conflicts with this write: it stands for them.
        this.objects.set(write.object, { keyAccessors: [], keyWriters: [], wholeReaders: [], wholeWriters: [s] });
        continue;
      }
      if (write.kind === 'name') this.locationOf(write.location).writers.push(s);
      // Writes of a name do not conflict with each other, so one does not stand for the others.
      else this.locations.set(write.location, { readers: [], writers: [s] });
      if (write.kind === 'key') {
        const object = this.objectOf(write.object);
        object.keyAccessors.push(s);
        object.keyWriters.push(s);
      }
    }
  }

  private locationOf(location: string): LocationHistory {
    let history = this.locations.get(location);
    if (history === undefined) this.locations.set(location, (history = { readers: [], writers: [] }));
    return history;
  }

  private objectOf(object: string): ObjectHistory {
    let history = this.objects.get(object);
    if (history === undefined) this.objects.set(object, (history = { keyAccessors: [], keyWriters: [], wholeReaders: [], wholeWriters: [] }));
    return history;
  }
}
