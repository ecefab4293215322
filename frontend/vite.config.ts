/// <reference types="vitest/config" />
import { fileURLToPath, URL } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The dev server forwards /api to a running local runtime (`PORT=8711 python -m local up`).
// API_PREFIX_STRIP=1 is for a backend that still serves its routes without the /api prefix.
const target = process.env.API_TARGET ?? "http://127.0.0.1:8000";
const stripPrefix = process.env.API_PREFIX_STRIP === "1";

export default defineConfig({
  plugins: [react()],
  resolve: { alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) } },
  server: {
    host: "127.0.0.1",
    proxy: {
      "/api": {
        target,
        changeOrigin: true,
        rewrite: stripPrefix ? (path) => path.replace(/^\/api/, "") : undefined,
        // Such a backend sets its refresh cookie on /auth, which the browser never sends to /api/auth.
        cookiePathRewrite: stripPrefix ? { "/auth": "/api/auth" } : undefined,
      },
    },
  },
  build: { sourcemap: false, manifest: true, chunkSizeWarningLimit: 400 },
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: ["./src/test/setup.ts"],
    css: false,
    // Generous bounds for a busy machine; tests wait for what the user would see, never time it.
    testTimeout: 30_000,
  },
});
