// Shared by the tests: where the compiled C fixtures are.
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
/** Path of the compiled fixture library test/fixtures/<name>.c */
export function fixture(name) {
  return path.join(here, "fixtures", "build", `lib${name}.so`);
}
