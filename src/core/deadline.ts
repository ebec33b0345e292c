/**
 * Deadlines of in-flight calls on two shared, unref'd timers, with no clock read and no timer per call.
 *
 * A timer per call (`setTimeout` + `clearTimeout` around a `Promise.race`) cost more than the rest of an
 * async call, and even reading the clock is not free. Most calls settle within a few milliseconds, so a
 * new deadline is first only *noted* (pushed on a list, no clock read). A stamping timer, armed when that
 * list stops being empty, fires within {@link STAMP_MS}, reads the clock once for every call still in
 * flight and moves them to a min-heap ordered by expiry; an expiry timer is armed for the earliest. A call
 * that settles first leaves its list or the heap at once, so nothing accumulates across calls.
 *
 * A deadline is never early: it counts from the stamp, which comes at or after the call started. It
 * is late by at most {@link STAMP_MS} plus whatever the event loop was busy with.
 */

/**
 * One watched deadline; pass it to {@link unwatch} when the call settles. The caller's own per-call
 * object can be the entry (no allocation here); {@link watch} sets the bookkeeping fields.
 */
export interface Deadline {
  /** Milliseconds the call may take. */
  ms: number;
  /**
   * What is left of an outer time budget in milliseconds (a Lambda's remaining time, less a margin), or
   * undefined; read when the deadline is stamped rather than on every call. The smaller of the two wins.
   */
  budget(): number | undefined;
  /** Expiry time on `performance.now()`'s clock, once stamped. */
  at: number;
  /** Position in the fresh list (`stamped` false) or in the heap (`stamped` true); -1 once settled or expired. */
  index: number;
  stamped: boolean;
  /** Runs once, when the deadline passes while still watched. */
  expire(): void;
}

/** How long a new deadline may wait for its clock stamp: the most a 504 can come late. */
export const STAMP_MS = 4;

/**
 * A timer fires on the event loop's cached clock, which may lag `performance.now()`: an entry due within
 * this many milliseconds counts as due, so a timer firing a hair early expires it instead of re-arming.
 */
const SLACK_MS = 1;

const fresh: Deadline[] = [];
const heap: Deadline[] = [];
let stamper: ReturnType<typeof setTimeout> | undefined;
let stamperArmed = false;
let expiryTimer: ReturnType<typeof setTimeout> | undefined;
let expiryAt = Infinity;

/** Watches `entry`'s deadline, `entry.ms` from now: `entry.expire()` runs then unless {@link unwatch} came first. */
export function watch(entry: Deadline): void {
  entry.stamped = false;
  entry.index = fresh.length;
  fresh.push(entry);
  if (!stamperArmed) armStamper();
}

/**
 * Stops watching a deadline. Returns `true` when it was still watched, `false` when it had already
 * expired (or was unwatched before): the caller then knows the expiry has answered the call.
 */
export function unwatch(entry: Deadline): boolean {
  const i = entry.index;
  if (i < 0) return false;
  entry.index = -1;
  if (!entry.stamped) {
    const last = fresh.pop() as Deadline;
    if (last !== entry) {
      fresh[i] = last;
      last.index = i;
    }
    return true;
  }
  const last = heap.pop() as Deadline;
  if (last !== entry) {
    heap[i] = last;
    last.index = i;
    siftDown(i);
    siftUp(last.index);
  }
  // The expiry timer stays armed: if nothing is due when it fires, it re-arms or stops.
  return true;
}

/** How many deadlines are watched now (for tests: nothing may stay behind once calls settle). */
export function watchedCount(): number {
  return fresh.length + heap.length;
}

function armStamper(): void {
  stamperArmed = true;
  if (stamper) stamper.refresh();
  else {
    stamper = setTimeout(stamp, STAMP_MS);
    // A pending deadline must never keep the process alive on its own.
    stamper.unref();
  }
}

function stamp(): void {
  stamperArmed = false;
  if (fresh.length === 0) return;
  const now = performance.now();
  for (const entry of fresh) {
    const left = entry.budget();
    if (left !== undefined && left < entry.ms) entry.ms = left;
    entry.at = now + entry.ms;
    entry.stamped = true;
    entry.index = heap.length;
    heap.push(entry);
    siftUp(entry.index);
  }
  fresh.length = 0;
  const first = heap[0] as Deadline;
  if (first.at < expiryAt) armExpiry(first.at, now);
}

function armExpiry(at: number, now: number): void {
  if (expiryTimer !== undefined) clearTimeout(expiryTimer);
  expiryAt = at;
  expiryTimer = setTimeout(expireDue, Math.max(0, Math.ceil(at - now)));
  expiryTimer.unref();
}

function expireDue(): void {
  expiryTimer = undefined;
  expiryAt = Infinity;
  const now = performance.now();
  try {
    while (heap.length > 0 && (heap[0] as Deadline).at <= now + SLACK_MS) {
      const entry = heap[0] as Deadline;
      unwatch(entry);
      entry.expire();
    }
  } finally {
    // Re-armed even if an expiry threw, so the other deadlines still fire.
    if (heap.length > 0) armExpiry((heap[0] as Deadline).at, now);
  }
}

function siftUp(i: number): void {
  const entry = heap[i] as Deadline;
  while (i > 0) {
    const parentIndex = (i - 1) >> 1;
    const parent = heap[parentIndex] as Deadline;
    if (parent.at <= entry.at) break;
    heap[i] = parent;
    parent.index = i;
    i = parentIndex;
  }
  heap[i] = entry;
  entry.index = i;
}

function siftDown(i: number): void {
  const entry = heap[i] as Deadline;
  const n = heap.length;
  for (;;) {
    const left = 2 * i + 1;
    if (left >= n) break;
    const right = left + 1;
    const child = right < n && (heap[right] as Deadline).at < (heap[left] as Deadline).at ? right : left;
    const smaller = heap[child] as Deadline;
    if (smaller.at >= entry.at) break;
    heap[i] = smaller;
    smaller.index = i;
    i = child;
  }
  heap[i] = entry;
  entry.index = i;
}
