// Playwright's webServer: the real local runtime (`python -m local up`) with embedded PostgreSQL
// and Redis in a fresh data directory, stopped gracefully and the directory removed afterwards.
//
// The runtime runs in its own process group, as it would in a terminal: Playwright's shutdown
// signal reaches this wrapper only, which passes one SIGTERM to the runtime, so the runtime
// stops its workers, Redis and PostgreSQL in order (a second signal would make it exit at once).
import { spawn } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const python = process.env.E2E_PYTHON ?? join(root, ".venv", "bin", "python");
const port = process.env.E2E_PORT;
if (!port) {
  console.error("serve-runtime: E2E_PORT is not set (playwright.config.ts sets it)");
  process.exit(2);
}

const dataDir = process.env.E2E_DATA_DIR ?? mkdtempSync(join(tmpdir(), "bookreader-e2e-"));
// The runtime's log (one JSON line per invocation) goes to a file, not into the test report;
// it is printed only when the runtime fails.
const logDir = join(tmpdir(), "bookreader-e2e-results");
mkdirSync(logDir, { recursive: true });
const logPath = join(logDir, "runtime.log");
const log = openSync(logPath, "w");
const env = {
  ...process.env,
  PORT: port,
  DATA_DIR: dataDir,
  // Each browser context sends its own X-Forwarded-For, so the per-IP rate limits of
  // registration and sign-in count per simulated device; believe it from loopback only.
  TRUSTED_PROXIES: "127.0.0.1/32",
};
// Unset: the runtime starts embedded PostgreSQL and Redis in the data directory.
delete env.DATABASE_URL;
delete env.REDIS_URL;

const runtime = spawn(python, ["-m", "local", "up"], {
  cwd: root,
  env,
  stdio: ["ignore", log, log],
  detached: true,
});

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  if (runtime.exitCode === null && runtime.signalCode === null) runtime.kill("SIGTERM");
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
process.on("SIGHUP", stop);

runtime.on("error", (error) => {
  console.error(`serve-runtime: cannot start ${python}: ${error.message}`);
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(2);
});
runtime.on("exit", (code, signal) => {
  closeSync(log);
  if (code !== 0 && !stopping) console.error(readFileSync(logPath, "utf8").slice(-20_000));
  console.error(`serve-runtime: the runtime's log is ${logPath}`);
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(code ?? (signal ? 1 : 0));
});
