// The two storefront clients, set up as a storefront would: Apollo Client 4 with its
// persisted-queries link (GET for hashed queries) and urql with @urql/exchange-persisted
// (POST), both with graphql-ws for subscriptions. Each gets a fetch wrapper that records
// what went over the wire, so the flows can check that APQ really ran (a hash-only request
// answered PERSISTED_QUERY_NOT_FOUND, then the query registered, then the hash alone).
//
// Both expose the same small interface to the flows:
//   query(doc, variables) / mutate(doc, variables) -> data (throws on GraphQL errors)
//   subscribe(doc, variables, onData, onError) -> unsubscribe()
//   close()
// `session.token` (mutable) is sent as the bearer token on HTTP and in connection_init.

import { createHash } from "node:crypto";

import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, split } from "@apollo/client";
import { createPersistedQueryLink } from "@apollo/client/link/persisted-queries";
import { GraphQLWsLink } from "@apollo/client/link/subscriptions";
import { getMainDefinition } from "@apollo/client/utilities";
import { Client as UrqlClient, fetchExchange, subscriptionExchange } from "@urql/core";
import { persistedExchange } from "@urql/exchange-persisted";
import { createClient as createWsClient } from "graphql-ws";
import WebSocket from "ws";

export const sha256 = (text) => createHash("sha256").update(text).digest("hex");

/** What one client sent and got back over HTTP, one entry per request. */
export class WireLog {
  constructor() {
    this.entries = [];
  }

  /** A fetch that records each /graphql exchange: method, hash, whether the query was sent,
   * and the error codes of the answer. */
  wrap(realFetch = globalThis.fetch) {
    return async (input, init = {}) => {
      const url = new URL(typeof input === "string" ? input : input.url);
      const method = (init.method || "GET").toUpperCase();
      let body = {};
      if (method === "GET") {
        for (const key of ["query", "extensions", "operationName"]) {
          const value = url.searchParams.get(key);
          if (value !== null) body[key] = key === "extensions" ? JSON.parse(value) : value;
        }
      } else if (typeof init.body === "string") {
        body = JSON.parse(init.body);
      }
      const response = await realFetch(input, init);
      const answer = await response.clone().json().catch(() => null);
      this.entries.push({
        method,
        status: response.status,
        hash: body.extensions?.persistedQuery?.sha256Hash ?? null,
        withQuery: typeof body.query === "string",
        operationName: body.operationName ?? null,
        codes: (answer?.errors ?? []).map((e) => e.extensions?.code ?? e.message),
        hasData: Boolean(answer?.data),
      });
      return response;
    };
  }

  /** APQ as the protocol wants it, for some hash: a hash-only request answered
   * PERSISTED_QUERY_NOT_FOUND, then that hash with its query answered with data, then
   * (later) the hash alone answered with data. Returns what was seen, for the summary. */
  apqSummary() {
    const missed = this.entries.filter((e) => e.hash && !e.withQuery && e.codes.includes("PERSISTED_QUERY_NOT_FOUND"));
    const registered = this.entries.filter((e) => e.hash && e.withQuery && e.hasData);
    const hits = this.entries.filter((e) => e.hash && !e.withQuery && e.hasData && e.codes.length === 0);
    const unhashed = this.entries.filter((e) => !e.hash);
    const complete = missed.filter((miss) => {
      const at = this.entries.indexOf(miss);
      const next = this.entries[at + 1];
      return next && next.hash === miss.hash && next.withQuery && next.hasData;
    });
    return {
      requests: this.entries.length,
      notFound: missed.length,
      registeredAfterNotFound: complete.length,
      registered: registered.length,
      hashOnlyHits: hits.length,
      withoutHash: unhashed.length,
      methods: [...new Set(this.entries.map((e) => e.method))].sort(),
    };
  }
}

function wsClient(baseUrl, session) {
  return createWsClient({
    url: baseUrl.replace(/^http/, "ws") + "/graphql",
    webSocketImpl: WebSocket,
    lazy: true,
    retryAttempts: 0,
    // Read when the socket opens: the token of the session at that time.
    connectionParams: () => (session.token ? { Authorization: `Bearer ${session.token}` } : {}),
  });
}

function graphqlError(errors) {
  const error = new Error(`GraphQL errors: ${JSON.stringify(errors)}`);
  error.graphQLErrors = errors;
  return error;
}

export function apolloClient(baseUrl, session, wire) {
  const auth = new ApolloLink((operation, forward) => {
    operation.setContext(({ headers = {} }) => ({
      headers: session.token ? { ...headers, authorization: `Bearer ${session.token}` } : headers,
    }));
    return forward(operation);
  });
  const http = new HttpLink({ uri: `${baseUrl}/graphql`, fetch: wire.wrap() });
  const persisted = createPersistedQueryLink({ sha256, useGETForHashedQueries: true });
  const ws = wsClient(baseUrl, session);
  const link = split(
    ({ query }) => {
      const definition = getMainDefinition(query);
      return definition.kind === "OperationDefinition" && definition.operation === "subscription";
    },
    new GraphQLWsLink(ws),
    ApolloLink.from([auth, persisted, http]),
  );
  const client = new ApolloClient({
    link,
    cache: new InMemoryCache(),
    defaultOptions: {
      query: { fetchPolicy: "no-cache", errorPolicy: "none" },
      mutate: { fetchPolicy: "no-cache", errorPolicy: "none" },
    },
  });
  const unwrap = (error) => {
    throw error.errors ? graphqlError(error.errors) : error;
  };
  return {
    name: "apollo",
    wire,
    async query(document, variables) {
      const result = await client.query({ query: document, variables }).catch(unwrap);
      return result.data;
    },
    async mutate(document, variables) {
      const result = await client.mutate({ mutation: document, variables }).catch(unwrap);
      return result.data;
    },
    subscribe(document, variables, onData, onError) {
      const subscription = client.subscribe({ query: document, variables }).subscribe({
        next: (result) => (result.error ? onError(result.error) : onData(result.data)),
        error: onError,
      });
      return () => subscription.unsubscribe();
    },
    close() {
      client.stop();
      return ws.dispose();
    },
  };
}

export function urqlClient(baseUrl, session, wire) {
  const ws = wsClient(baseUrl, session);
  const client = new UrqlClient({
    url: `${baseUrl}/graphql`,
    fetch: wire.wrap(),
    requestPolicy: "network-only",
    preferGetMethod: false,
    fetchOptions: () => (session.token ? { headers: { authorization: `Bearer ${session.token}` } } : {}),
    exchanges: [
      // Mutations too (Apollo's link hashes every operation; urql only queries by default).
      persistedExchange({ generateHash: async (query) => sha256(query), enableForMutation: true }),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query || "" };
          return {
            subscribe(sink) {
              return { unsubscribe: ws.subscribe(input, sink) };
            },
          };
        },
      }),
    ],
  });
  const unwrap = (result) => {
    if (result.error) {
      throw result.error.graphQLErrors?.length ? graphqlError(result.error.graphQLErrors) : result.error;
    }
    return result.data;
  };
  return {
    name: "urql",
    wire,
    async query(document, variables) {
      return unwrap(await client.query(document, variables).toPromise());
    },
    async mutate(document, variables) {
      return unwrap(await client.mutation(document, variables).toPromise());
    },
    subscribe(document, variables, onData, onError) {
      const { unsubscribe } = client.subscription(document, variables).subscribe((result) => {
        if (result.error) onError(result.error);
        else onData(result.data);
      });
      return unsubscribe;
    },
    close() {
      return ws.dispose();
    },
  };
}
