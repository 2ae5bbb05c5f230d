// A module loaded on first use, then kept. `await import(x)` on every call is
// not free here: each one goes through the module loader's resolve hooks
// (tsx's, on a separate thread), which cost a status callback more than its
// signature check did.

/** The loader of a module (or any value) that is imported once, on the first call. */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () =>
    (loaded ??= load().catch((err: unknown) => {
      // A failed load is not kept: the next call tries again.
      loaded = undefined;
      throw err;
    }));
}

/** The twilio SDK: webhooks, TwiML and voice load it with their first request. */
export const twilioSdk = loadOnce(async () => (await import('twilio')).default);
