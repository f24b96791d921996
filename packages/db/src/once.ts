/** close() may be called from a test's afterAll and from a shutdown hook; the second is a no-op. */
export function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => {
    done ??= fn();
    return done;
  };
}
