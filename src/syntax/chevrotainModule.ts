import type * as Chevrotain from "chevrotain";

// chevrotain's package entry loads ~150 small ES modules (about 450 ms cold); its own single-file bundle loads in
// ~25 ms. The package's export map hides the bundle, so it is located next to the resolved entry. The CLI bundle
// (tools/bundle.mjs) replaces this module with a static import of the same file, so it is compiled into the bundle.
const entry = import.meta.resolve("chevrotain");
export const chevrotainModule = (await import(new URL("../chevrotain.mjs", entry).href)) as typeof Chevrotain;
