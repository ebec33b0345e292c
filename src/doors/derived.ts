import type { Operation } from '../core/operation.js';
import type { Mounted } from '../core/registry.js';

/** A value derived from the mounted groups, kept while they and their operation lists are unchanged. */
export class Derived<T> {
  #lists: readonly (readonly Operation[])[] = [];
  #value: T | undefined;

  get(mounted: readonly Mounted[], make: () => T): T {
    const lists = this.#lists;
    if (this.#value !== undefined && lists.length === mounted.length && mounted.every((m, i) => m.group.operations === lists[i])) return this.#value;
    const value = make();
    this.#lists = mounted.map((m) => m.group.operations);
    this.#value = value;
    return value;
  }
}
