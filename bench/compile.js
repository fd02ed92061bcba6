// Plain-JS shim so `npm run bench:compile` runs the compiled benchmark.
import "../dist/bench/compile.js";
