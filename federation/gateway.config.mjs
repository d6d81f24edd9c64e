// Hive Gateway configuration for credit-gateway's supergraph (docs/DEPLOYMENT.md).
// Used as: hive-gateway supergraph federation/supergraph.graphql -c federation/gateway.config.mjs
import { defineConfig } from "@graphql-hive/gateway";

// The address of the router's peer, the way the subgraphs' X-Forwarded-For wants it (an IPv4
// client of a dual-stack socket is reported as ::ffff:a.b.c.d).
function peerAddress(context) {
  const address = context?.req?.socket?.remoteAddress;
  return typeof address === "string" ? address.replace(/^::ffff:(?=\d+\.)/, "") : undefined;
}

export const gatewayConfig = defineConfig({
  propagateHeaders: {
    fromClientToSubgraphs({ request, context }) {
      const headers = {};
      // a writer's API key reaches the subgraph that owns the record it writes
      const authorization = request.headers.get("authorization");
      if (authorization) headers.authorization = authorization;
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
});
