// The GraphQL-over-HTTP conformance audit of graphql-http (npm) against a running gateway.
// Usage: node tests/gateway/graphql_http_audit.mjs http://127.0.0.1:PORT/graphql
// Prints one JSON line: {"total", "ok", "failures": [{"id", "name", "status", "reason"}]}.
import { auditServer } from 'graphql-http';

const url = process.argv[2];
const results = await auditServer({ url });
const failures = results
  .filter((result) => result.status !== 'ok')
  .map(({ id, name, status, reason }) => ({ id, name, status, reason }));
console.log(JSON.stringify({ total: results.length, ok: results.length - failures.length,
  failures }));
