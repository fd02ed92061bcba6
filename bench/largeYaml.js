// Plain-JS shim so `npm run bench:yaml` runs the compiled benchmark.
import "../dist/bench/largeYaml.js";
