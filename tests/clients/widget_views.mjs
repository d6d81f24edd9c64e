// Loads the credit widget the way a platform's page does in production, with the two GraphQL
// clients platforms use, and prints every request each view sent (as JSON on stdout):
//   - Apollo Client (InMemoryCache default, PersistedQueryLink with useGETForHashedQueries);
//   - urql (@urql/core's default cacheExchange, then persistedExchange, then fetchExchange).
// A view is a page load: a new client, so nothing is answered from the client's own cache.
// Usage: node widget_views.mjs apollo|urql URL USCC WIDGET_FILE [VIEWS]
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

import { ApolloClient, HttpLink, InMemoryCache, gql } from "@apollo/client";
import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";
import { Client, cacheExchange, fetchExchange } from "@urql/core";
import { persistedExchange } from "@urql/exchange-persisted";

const [clientName, url, uscc, widgetFile, viewsArg] = process.argv.slice(2);
const views = Number(viewsArg ?? "2");
// the document as a platform's code holds it: the file, comment lines and all
const widget = readFileSync(widgetFile, "utf8");
const sha256 = (text) => createHash("sha256").update(text).digest("hex");

function countingFetch(requests) {
  return async (input, init = {}) => {
    const response = await fetch(input, init);
    const target = new URL(typeof input === "string" ? input : input.url);
    requests.push({
      method: (init.method ?? "GET").toUpperCase(),
      query: target.searchParams.get("query"),
      extensions: JSON.parse(target.searchParams.get("extensions") ?? "null"),
      body: init.body ?? null,
      status: response.status,
      xCache: response.headers.get("x-cache"),
    });
    return response;
  };
}

async function apolloView() {
  const requests = [];
  const client = new ApolloClient({
    cache: new InMemoryCache(),
    link: new PersistedQueryLink({ sha256, useGETForHashedQueries: true }).concat(
      new HttpLink({ uri: url, fetch: countingFetch(requests) }),
    ),
  });
  const result = await client.query({ query: gql(widget), variables: { uscc }, errorPolicy: "all" });
  client.stop();
  return { requests, data: result.data ?? null, error: result.error ? String(result.error) : null };
}

async function urqlView() {
  const requests = [];
  const client = new Client({
    url,
    exchanges: [cacheExchange, persistedExchange({ preferGetForPersistedQueries: true }),
      fetchExchange],
    fetch: countingFetch(requests),
  });
  const result = await client.query(widget, { uscc }).toPromise();
  return { requests, data: result.data ?? null, error: result.error ? String(result.error) : null };
}

const view = { apollo: apolloView, urql: urqlView }[clientName];
if (view === undefined) throw new Error(`unknown client ${clientName}: apollo or urql`);
const out = [];
for (let i = 0; i < views; i++) out.push(await view());
process.stdout.write(JSON.stringify(out) + "\n");
