/**
 * The app's bot login, looked up once: concurrent callers share the lookup in flight (a burst
 * of deliveries to a fresh instance sends one `GET /app`, not one each). A failed lookup is
 * forgotten, so the next caller tries again.
 */
export function botLoginResolver(
  known: string | undefined,
  lookup: () => Promise<string>,
): () => Promise<string> {
  let pending: Promise<string> | undefined = known ? Promise.resolve(known) : undefined;
  return () =>
    (pending ??= lookup().catch((error: unknown) => {
      pending = undefined;
      throw error;
    }));
}
