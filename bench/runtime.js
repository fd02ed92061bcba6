// Plain-JS shim so `npm run bench:runtime` runs the compiled benchmark.
import "../dist/bench/runtime.js";
