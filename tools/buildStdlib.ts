// Build step: parse stdlib/*.lv once and write the precompiled stdlib next to the build (dist/stdlib.image), so the
// first `lavisc check` neither loads the parser nor parses the stdlib.
import { refreshStdlibImage } from "../src/project/stdlib.js";
refreshStdlibImage();
