// PostGraphile 5, the peer of the load benchmark (bench/peer.py): the Amber preset over the
// benchmark's own database, set up as a production deployment would be — no GraphiQL, no
// EXPLAIN in responses, no schema watching. The connection string, schema, host and port come
// from the command line (bench/peer.py).
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";

/** @type {GraphileConfig.Preset} */
const preset = {
  extends: [PostGraphileAmberPreset],
  grafserv: { graphiql: false, watch: false },
  grafast: { explain: false },
};

export default preset;
