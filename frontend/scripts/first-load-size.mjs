// The JavaScript a browser fetches before a page is interactive: the entry chunk, the page's
// chunk and every chunk they import statically, gzipped. Reads dist/.vite/manifest.json.
// Usage: node scripts/first-load-size.mjs [page source, default the library page]
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const page = process.argv[2] ?? "src/features/library/components/LibraryPage.tsx";
const manifest = JSON.parse(readFileSync("dist/.vite/manifest.json", "utf8"));
const entry = Object.keys(manifest).find((key) => manifest[key].isEntry);
if (!manifest[page]) throw new Error(`${page} is not a chunk of this build`);

const files = new Set();
const visit = (key) => {
  const chunk = manifest[key];
  if (!chunk || files.has(chunk.file)) return;
  files.add(chunk.file);
  for (const imported of chunk.imports ?? []) visit(imported);
};
visit(entry);
visit(page);

let total = 0;
for (const file of files) {
  const size = gzipSync(readFileSync(`dist/${file}`)).length;
  total += size;
  console.log(`${(size / 1024).toFixed(1).padStart(7)} kB  ${file}`);
}
console.log(
  `${(total / 1024).toFixed(1).padStart(7)} kB  gzipped JS before ${page} is interactive`,
);
