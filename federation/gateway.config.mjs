// Hive Gateway configuration for credit-gateway's supergraph (docs/DEPLOYMENT.md).
// Used as: hive-gateway supergraph federation/supergraph.graphql -c federation/gateway.config.mjs
//
// Read from the router's environment, with the same names and meanings as the subgraphs':
// - CREDIT_GATEWAY_ROUTER_SECRET: sent to every subgraph as X-Credit-Gateway-Router, so that
//   production subgraphs answer the router's own documents (_entities, query plans);
// - CREDIT_GATEWAY_ENV=production: the router is the edge, so it holds anonymous callers to
//   the trusted documents (CREDIT_GATEWAY_TRUSTED_DOCUMENTS, default
//   gateway/trusted/manifest.json), sent by id as extensions.persistedQuery.sha256Hash;
//   callers with an Authorization header may send any document (the subgraph authenticates
//   the key and refuses an unknown one).
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "@graphql-hive/gateway";

const here = dirname(fileURLToPath(import.meta.url));
const routerSecret = process.env.CREDIT_GATEWAY_ROUTER_SECRET || "";
const production = process.env.CREDIT_GATEWAY_ENV === "production";

// The address of the router's peer, the way the subgraphs' X-Forwarded-For wants it (an IPv4
// client of a dual-stack socket is reported as ::ffff:a.b.c.d).
function peerAddress(context) {
  const address = context?.req?.socket?.remoteAddress;
  return typeof address === "string" ? address.replace(/^::ffff:(?=\d+\.)/, "") : undefined;
}

function trustedDocuments() {
  const path = process.env.CREDIT_GATEWAY_TRUSTED_DOCUMENTS ||
    join(here, "..", "gateway", "trusted", "manifest.json");
  const manifest = JSON.parse(readFileSync(path, "utf-8"));
  if (manifest.format !== "apollo-persisted-query-manifest" || manifest.version !== 1) {
    throw new Error(`trusted documents ${path}: not a version 1 apollo-persisted-query-manifest`);
  }
  return new Map(manifest.operations.map((operation) => [operation.id, operation.body]));
}

const NOT_TRUSTED = {
  message: "Anonymous callers may run only the trusted documents (send its id as " +
    "extensions.persistedQuery.sha256Hash).",
  extensions: { code: "DOCUMENT_NOT_TRUSTED" },
};

function persistedDocuments() {
  const bodies = trustedDocuments();
  return {
    getPersistedOperation: (id) => bodies.get(id) ?? null,
    allowArbitraryDocuments: (request) => request.headers.has("authorization"),
    customErrors: { notFound: NOT_TRUSTED, keyNotFound: NOT_TRUSTED, persistedQueryOnly: NOT_TRUSTED },
  };
}

export const gatewayConfig = defineConfig({
  propagateHeaders: {
    fromClientToSubgraphs({ request, context }) {
      const headers = {};
      // a writer's API key reaches the subgraph that owns the record it writes
      const authorization = request.headers.get("authorization");
      if (authorization) headers.authorization = authorization;
      // the router's secret tells a production subgraph that the request is its router's
      if (routerSecret) headers["x-credit-gateway-router"] = routerSecret;
      // the client's address reaches every subgraph, for its rate limit: like any proxy, the
      // router appends its peer to the X-Forwarded-For it got. The subgraphs trust the
      // router's address only (CREDIT_GATEWAY_TRUSTED_PROXIES), so they count that peer and
      // never an entry the client wrote itself (docs/DEPLOYMENT.md)
      const peer = peerAddress(context);
      if (peer) {
        const forwarded = request.headers.get("x-forwarded-for");
        headers["x-forwarded-for"] = forwarded ? `${forwarded}, ${peer}` : peer;
      }
      return headers;
    },
  },
  ...(production ? { persistedDocuments: persistedDocuments() } : {}),
});
