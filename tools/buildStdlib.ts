// Build step: parse stdlib/*.lv once and cache the ASTs next to the build, so the first `lavisc check` is fast.
import { refreshStdlibCache } from "../src/project/stdlib.js";
refreshStdlibCache();
