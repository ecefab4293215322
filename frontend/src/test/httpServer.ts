/**
 * A real HTTP server for tests, answering with a handler the test writes (the API's part in a
 * conversation), and recording every request it saw.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type SeenRequest = {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: Buffer;
};
export type Handler = (request: SeenRequest, response: ServerResponse) => void | Promise<void>;

export type TestServer = { origin: string; seen: SeenRequest[]; close: () => Promise<void> };

// Browsers (and jsdom) on another origin need these to read answers and send our headers.
const CORS = {
  "Access-Control-Allow-Credentials": "true",
  "Access-Control-Allow-Methods": "GET, POST, PUT, PATCH, DELETE",
  "Access-Control-Allow-Headers": "Authorization, Content-Type, X-Test",
};

export async function startServer(handler: Handler): Promise<TestServer> {
  const seen: SeenRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      for (const [name, value] of Object.entries(CORS)) res.setHeader(name, value);
      res.setHeader("Access-Control-Allow-Origin", req.headers.origin ?? "*");
      if (req.method === "OPTIONS") {
        res.writeHead(204).end();
        return;
      }
      const request = {
        method: req.method ?? "GET",
        path: req.url ?? "/",
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      seen.push(request);
      Promise.resolve(handler(request, res)).catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response
    .writeHead(status, { "Content-Type": "application/json", ...headers })
    .end(JSON.stringify(body));
}

export function sendError(
  response: ServerResponse,
  status: number,
  code: string,
  details: object = {},
  headers: Record<string, string> = {},
): void {
  sendJson(response, status, { error: { code, message: `${code} happened`, details } }, headers);
}
