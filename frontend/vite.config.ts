/// <reference types="vitest/config" />
import { fileURLToPath, URL } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { VitePWA } from "vite-plugin-pwa";

// The dev server forwards /api to a running local runtime (`PORT=8711 python -m local up`).
// API_PREFIX_STRIP=1 is for a backend that still serves its routes without the /api prefix.
const target = process.env.API_TARGET ?? "http://127.0.0.1:8000";
const stripPrefix = process.env.API_PREFIX_STRIP === "1";

// Offline reading: our own service worker (src/sw.ts) with Workbox's precache manifest injected
// (injectManifest, not generateSW: the worker keys pictures by their path without the presigned
// query, keeps a per-book index for eviction, and queues positions; generated code cannot).
// The app registers it itself after the first paint (src/features/offline/start.ts).
const pwa = VitePWA({
  strategies: "injectManifest",
  srcDir: "src",
  filename: "sw.ts",
  injectRegister: false,
  manifestFilename: "manifest.webmanifest",
  includeAssets: ["favicon.svg", "icons/apple-touch-icon.png"],
  manifest: {
    id: "/",
    name: "BookReader",
    short_name: "BookReader",
    description: "Your books, read and illustrated",
    start_url: "/",
    scope: "/",
    display: "standalone",
    orientation: "any",
    theme_color: "#2b4c7e",
    background_color: "#fbfaf7",
    icons: [
      { src: "/icons/icon-192.png", sizes: "192x192", type: "image/png", purpose: "any" },
      { src: "/icons/icon-512.png", sizes: "512x512", type: "image/png", purpose: "any" },
      { src: "/icons/icon.svg", sizes: "any", type: "image/svg+xml", purpose: "any" },
      {
        src: "/icons/icon-maskable-192.png",
        sizes: "192x192",
        type: "image/png",
        purpose: "maskable",
      },
      {
        src: "/icons/icon-maskable-512.png",
        sizes: "512x512",
        type: "image/png",
        purpose: "maskable",
      },
    ],
  },
  injectManifest: {
    rollupFormat: "iife",
    // woff2 only: every browser that runs a service worker reads it; .woff would double the fonts.
    globPatterns: ["**/*.{js,css,html,svg,png,woff2,webmanifest}"],
    globIgnores: [".vite/**"],
  },
  devOptions: { enabled: false },
});

export default defineConfig({
  plugins: [react(), pwa],
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
