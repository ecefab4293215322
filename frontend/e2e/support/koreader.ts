/**
 * KOReader's progress-sync plugin (kosync.koplugin) as a sync server sees it, from Node: the
 * document id it computes from the book's file, the XPointer of a paragraph as crengine writes
 * it, and its signed requests. Written from the protocol as docs/e-readers.md records it, not
 * from our server's code, and never asking our server for any of it.
 */
import { createHash, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { inflateRawSync } from "node:zlib";
import { deviceAddress } from "./fixtures";

const ACCEPT = "application/vnd.koreader.v1+json";

const md5 = (data: Buffer | string) => createHash("md5").update(data).digest("hex");

/**
 * KOReader's `util.partialMD5`: MD5 over 1024-byte reads at `lshift(1024, 2*i)` for
 * i = -1 … 10, stopping at the first read past the end. LuaJIT's 32-bit shift takes its count
 * modulo 32, so i = -1 reads at 0: the offsets are 0, 1 Ki, 4 Ki, 16 Ki, … 1 Gi.
 */
export function partialMd5(data: Buffer): string {
  const digest = createHash("md5");
  for (let i = -1; i <= 10; i += 1) {
    const offset = i < 0 ? 0 : 1024 * 4 ** i;
    if (offset >= data.length) break;
    digest.update(data.subarray(offset, offset + 1024));
  }
  return digest.digest("hex");
}

/** The entries of a zip file (an EPUB), by name: the central directory, then each one's data. */
function unzip(data: Buffer): Map<string, Buffer> {
  const end = data.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error("not a zip file");
  const count = data.readUInt16LE(end + 10);
  let at = data.readUInt32LE(end + 16);
  const files = new Map<string, Buffer>();
  for (let n = 0; n < count; n += 1) {
    const method = data.readUInt16LE(at + 10);
    const size = data.readUInt32LE(at + 20);
    const nameLength = data.readUInt16LE(at + 28);
    const skip = nameLength + data.readUInt16LE(at + 30) + data.readUInt16LE(at + 32);
    const name = data.toString("utf8", at + 46, at + 46 + nameLength);
    const local = data.readUInt32LE(at + 42);
    const start = local + 30 + data.readUInt16LE(local + 26) + data.readUInt16LE(local + 28);
    const stored = data.subarray(start, start + size);
    files.set(name, method === 0 ? stored : inflateRawSync(stored));
    at += 46 + skip;
  }
  return files;
}

export type KnownParagraph = { xpointer: string; text: string };

/**
 * The `n`-th (1-based) `<p>` of the `spineIndex`-th (1-based) spine document of an EPUB whose
 * chapters are `<body><section><h2/><p/>…</section></body>` (as the Каштанка fixture is), and
 * crengine's XPointer of its start: each spine document is `/body/DocFragment[N]` holding that
 * file's `<body>`; a step gets `[k]` only when it has same-named siblings.
 */
export function paragraphOfEpub(path: string, spineIndex: number, n: number): KnownParagraph {
  const files = unzip(readFileSync(path));
  const text = (name: string) => {
    const file = files.get(name);
    if (!file) throw new Error(`${name} is not in ${path}`);
    return file.toString("utf8");
  };
  const container = text("META-INF/container.xml");
  const opfPath = /full-path="([^"]+)"/.exec(container)![1]!;
  const opf = text(opfPath);
  const manifest = new Map(
    [...opf.matchAll(/<item\b[^>]*>/g)].map(([item]) => [
      /\bid="([^"]+)"/.exec(item)![1]!,
      /\bhref="([^"]+)"/.exec(item)![1]!,
    ]),
  );
  const spine = [...opf.matchAll(/<itemref\b[^>]*idref="([^"]+)"/g)].map(([, id]) => id!);
  const href = manifest.get(spine[spineIndex - 1]!)!;
  const xhtml = text(opfPath.replace(/[^/]*$/, "") + href);
  const body = /<body[^>]*>([\s\S]*)<\/body>/.exec(xhtml)![1]!;
  const section = /^<section\b[^>]*>([\s\S]*)<\/section>$/.exec(body.trim());
  if (!section) throw new Error(`${href}: its <body> is not one <section>`);
  const paragraphs = [...section[1]!.matchAll(/<p\b[^>]*>([\s\S]*?)<\/p>/g)].map(([, inner]) =>
    inner!
      .replace(/<[^>]+>/g, "")
      .replace(/\s+/g, " ")
      .trim(),
  );
  const step = paragraphs.length > 1 ? `p[${n}]` : "p";
  return {
    xpointer: `/body/DocFragment[${spineIndex}]/body/section/${step}/text().0`,
    text: paragraphs[n - 1]!,
  };
}

export type KoreaderProgress = {
  document?: string;
  progress?: string;
  percentage?: number;
  device?: string;
  device_id?: string;
  timestamp?: number;
};

/**
 * One KOReader install logged in to the custom sync server `<origin>/api/kosync` with an email
 * and an app password: it keeps only md5(password) and sends it as `x-auth-key`.
 */
export class Koreader {
  /** KOReader's `device_id`: a random UUID per install. */
  readonly deviceId = randomUUID().toUpperCase();
  private readonly address = deviceAddress();
  private readonly userkey: string;

  /** `model` is what KOReader sends as `device` (its `Device.model`). */
  constructor(
    private readonly origin: string,
    private readonly email: string,
    password: string,
    readonly model = "Kobo_io",
  ) {
    this.userkey = md5(password);
  }

  private async call(method: "GET" | "PUT", path: string, body?: unknown): Promise<unknown> {
    const answer = await fetch(`${this.origin}/api/kosync${path}`, {
      method,
      headers: {
        Accept: ACCEPT,
        "Content-Type": "application/json",
        "X-Forwarded-For": this.address,
        "x-auth-user": this.email,
        "x-auth-key": this.userkey,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await answer.text();
    if (answer.status !== 200) throw new Error(`${method} ${path}: ${answer.status} ${text}`);
    return JSON.parse(text);
  }

  authorize(): Promise<unknown> {
    return this.call("GET", "/users/auth");
  }

  /** The plugin's push: `progress` as a string, `device` its model, `device_id` its install. */
  updateProgress(document: string, progress: string, percentage: number): Promise<unknown> {
    return this.call("PUT", "/syncs/progress", {
      document,
      progress,
      percentage,
      device: this.model,
      device_id: this.deviceId,
    });
  }

  getProgress(document: string): Promise<KoreaderProgress> {
    return this.call("GET", `/syncs/progress/${document}`) as Promise<KoreaderProgress>;
  }
}
