// One urql client per page load: queries and mutations over HTTP with the
// session cookie and its CSRF token, subscriptions over graphql-ws on the same
// path (/graphql), opened only when a page subscribes.
import { Client, cacheExchange, fetchExchange, subscriptionExchange, type CombinedError } from '@urql/core';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';

let csrfToken: string | undefined;
let ws: WsClient | undefined;
let requestLocale = 'fr';

/** The language the server answers errors and labels in (the account's wins once signed in). */
export function setRequestLocale(locale: string): void {
  requestLocale = locale;
}

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
  // The socket was opened with the previous session's cookie: reopen it.
  if (ws) {
    void ws.dispose();
    ws = undefined;
  }
}

export function csrfHeaders(): Record<string, string> {
  return csrfToken ? { 'x-csrf-token': csrfToken } : {};
}

function wsClient(): WsClient {
  if (!ws) {
    const url = `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/graphql`;
    ws = createWsClient({ url, lazy: true, retryAttempts: Infinity, shouldRetry: () => true });
  }
  return ws;
}

export function createClient(): Client {
  return new Client({
    url: '/graphql',
    // Pages re-read after a mutation; the document cache is cleared on writes to the same types.
    requestPolicy: 'cache-and-network',
    fetchOptions: () => ({
      credentials: 'same-origin',
      headers: { ...csrfHeaders(), 'accept-language': requestLocale },
    }),
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query || '' };
          return {
            subscribe(sink) {
              const unsubscribe = wsClient().subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
  });
}

/**
 * The unread count is a bare number, which urql's document cache cannot tie to
 * a type: the queries and mutations about notifications name the type, so that
 * marking them read refreshes every count shown (the header's badge too).
 * One constant: useQuery needs the same context object on every render.
 */
export const notificationsContext = { additionalTypenames: ['InAppNotification'] };

/** The server's error code (extensions.code) of the first GraphQL error, if any. */
export function errorCode(err: CombinedError | undefined): string | undefined {
  const code = err?.graphQLErrors[0]?.extensions?.code;
  return typeof code === 'string' ? code : err?.networkError ? 'NETWORK' : undefined;
}

export function errorDetails(err: CombinedError | undefined): Record<string, unknown> | undefined {
  const d = err?.graphQLErrors[0]?.extensions?.details;
  return d && typeof d === 'object' ? (d as Record<string, unknown>) : undefined;
}
