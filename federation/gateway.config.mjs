// Hive Gateway configuration for credit-gateway's supergraph (docs/DEPLOYMENT.md).
// Used as: hive-gateway supergraph federation/supergraph.graphql -c federation/gateway.config.mjs
import { defineConfig } from "@graphql-hive/gateway";

export const gatewayConfig = defineConfig({
  propagateHeaders: {
    // a writer's API key reaches the subgraph that owns the record it writes
    fromClientToSubgraphs({ request }) {
      const authorization = request.headers.get("authorization");
      return authorization ? { authorization } : {};
    },
  },
});
