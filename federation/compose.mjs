// Composes subgraph SDLs into a supergraph with two independent composers.
//
// stdin:  [{"name": "registry", "url": "http://…/graphql", "sdl": "…"}, …]
// stdout: {"supergraphSdl", "publicSdl", "apolloPublicSdl", "errors": [...], "hints": [...]}
//
// @theguild/federation-composition (MIT) writes the supergraph we ship; @apollo/composition
// (Elastic License 2.0) only checks it at build time: it never runs in, or ships with, the
// gateway. An error from either composer fails the composition.
import { readFileSync } from "node:fs";
import { parse, printSchema } from "graphql";
import { composeServices as composeWithGuild } from "@theguild/federation-composition";
import apollo from "@apollo/composition";

const services = JSON.parse(readFileSync(0, "utf8")).map((service) => ({
  name: service.name,
  url: service.url,
  typeDefs: parse(service.sdl),
}));
const result = { errors: [], hints: [] };

const guild = composeWithGuild(services);
if (guild.errors) {
  result.errors.push(...guild.errors.map((e) => `@theguild/federation-composition: ${e.message}`));
} else {
  result.supergraphSdl = guild.supergraphSdl;
  result.publicSdl = guild.publicSdl;
}

const checked = apollo.composeServices(services);
if (checked.errors) {
  result.errors.push(...checked.errors.map((e) => `@apollo/composition: ${e.message}`));
} else {
  result.apolloPublicSdl = printSchema(checked.schema.toAPISchema().toGraphQLJSSchema());
  result.hints.push(...(checked.hints ?? []).map((h) => `@apollo/composition: ${h.toString()}`));
}

process.stdout.write(JSON.stringify(result));
