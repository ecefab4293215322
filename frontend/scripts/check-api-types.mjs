// Fails when src/lib/api/schema.d.ts is not what `npm run gen:api` makes of openapi.json, so
// the web app can never compile against types older than the API it talks to.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const dir = mkdtempSync(join(tmpdir(), "api-types-"));
const fresh = join(dir, "schema.d.ts");
try {
  const bin = join("node_modules", ".bin", "openapi-typescript");
  const args = ["openapi.json", "--default-non-nullable", "false", "-o", fresh];
  execFileSync(bin, args, { stdio: "ignore" });
  if (readFileSync(fresh, "utf8") !== readFileSync("src/lib/api/schema.d.ts", "utf8")) {
    console.error("src/lib/api/schema.d.ts is stale: run `make openapi` and commit the result.");
    process.exitCode = 1;
  } else {
    console.log("API types match openapi.json");
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
