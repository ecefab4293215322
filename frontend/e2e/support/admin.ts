/** The first administrator made as `make admin EMAIL=…` makes one: the CLI on the runtime's data. */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));

export function makeAdmin(email: string): void {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // The runtime of this run keeps its embedded PostgreSQL in E2E_DATA_DIR (playwright.config.ts);
  // against a runtime already up, DATABASE_URL or DATA_DIR in the environment name its database.
  if (process.env.E2E_DATA_DIR) {
    env.DATA_DIR = process.env.E2E_DATA_DIR;
    delete env.DATABASE_URL;
  }
  const python = process.env.E2E_PYTHON ?? join(ROOT, ".venv", "bin", "python");
  execFileSync(python, ["-m", "local", "admin", email], { cwd: ROOT, env, stdio: "pipe" });
}
