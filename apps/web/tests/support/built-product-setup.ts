import { buildProductIfStale } from './build-if-stale';

/** For tests that start the built server themselves (tests/*.test.ts): build it first if it is stale. */
export default function setup() {
  buildProductIfStale();
}
