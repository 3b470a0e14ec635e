/**
 * The UUIDv7 byte generator (RFC 9562 section 6.2, method 1): the millisecond in the first 48 bits, then a
 * 12-bit counter in rand_a that counts up within one millisecond (and keeps counting when the clock steps
 * back), so ids sort in creation order as plain strings.
 */
import { type RandomBytes, randomBytes } from "./random-bytes.ts";

/** The monotonic state: the last millisecond used and the counter within it. */
export interface UuidV7State {
  lastMs: number;
  counter: number;
}

// One state per process (per isolate on Workers), shared by every installed copy of @keel/brand: a second
// copy in node_modules finds the first one's state under this registered symbol, so ids made alternately by
// both still sort. The version in the key keeps an incompatible future layout from sharing it.
const sharedStateKey: unique symbol = Symbol.for("@keel/brand:uuid-v7-state@1") as never;

function isState(value: unknown): value is UuidV7State {
  const state = value as Partial<UuidV7State> | null;
  return (
    typeof state === "object" &&
    state !== null &&
    typeof state.lastMs === "number" &&
    typeof state.counter === "number"
  );
}

/** The per-process state, created (non-enumerable, on globalThis) on first use: no work at import. */
export function sharedUuidV7State(): UuidV7State {
  const global = globalThis as { [sharedStateKey]?: unknown };
  const existing = global[sharedStateKey];
  if (isState(existing)) return existing;
  const state: UuidV7State = { lastMs: 0, counter: 0 };
  Object.defineProperty(global, sharedStateKey, { value: state, configurable: true, writable: true });
  return state;
}

/** What a generator reads: the clock, the random source and the state. Tests inject all three. */
export interface UuidV7GeneratorOptions {
  /** Milliseconds since the Unix epoch; defaults to `Date.now`. */
  readonly clock?: () => number;
  /** Random bytes; defaults to the crypto-backed pool. */
  readonly random?: RandomBytes;
  /** Defaults to a fresh, private state; the built-in generator passes {@link sharedUuidV7State}. */
  readonly state?: UuidV7State;
}

/** A function that makes the 16 bytes of a new UUIDv7 each call. */
/* @__NO_SIDE_EFFECTS__ */
export function createUuidV7Generator(options: UuidV7GeneratorOptions = {}): () => Uint8Array {
  const clock = options.clock ?? Date.now;
  const random = options.random ?? randomBytes;
  const state = options.state ?? { lastMs: 0, counter: 0 };
  return () => {
    const now = clock();
    if (now > state.lastMs) {
      state.lastMs = now;
      const start = random(2);
      state.counter = ((start[0]! << 8) | start[1]!) & 0x7ff; // random start, room to count up
    } else if (++state.counter > 0xfff) {
      state.lastMs++; // counter exhausted: borrow the next millisecond rather than repeat or go backwards
      state.counter = 0;
    }
    const { lastMs, counter } = state;
    const bytes = random(16);
    bytes[0] = Math.floor(lastMs / 2 ** 40) & 0xff;
    bytes[1] = Math.floor(lastMs / 2 ** 32) & 0xff;
    bytes[2] = (lastMs >>> 24) & 0xff;
    bytes[3] = (lastMs >>> 16) & 0xff;
    bytes[4] = (lastMs >>> 8) & 0xff;
    bytes[5] = lastMs & 0xff;
    bytes[6] = 0x70 | (counter >>> 8);
    bytes[7] = counter & 0xff;
    bytes[8] = 0x80 | (bytes[8]! & 0x3f);
    return bytes;
  };
}

let shared: (() => Uint8Array) | undefined;

/** The bytes of a new UUIDv7 from the per-process generator behind `UuidV7.generate()` and prefixed ids. */
export function uuidV7Bytes(): Uint8Array {
  shared ??= createUuidV7Generator({ state: sharedUuidV7State() });
  return shared();
}
