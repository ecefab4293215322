// @vitest-environment node
import { reader } from "@/test/fixtures";
import { startServer } from "@/test/httpServer";
import {
  configureSession,
  getAccessToken,
  getSession,
  refreshSession,
  signedIn,
  signedOut,
} from "./session";

// An address where nothing listens: the refresh gets no answer at all, as offline.
let unreachable: string;
beforeAll(async () => {
  const server = await startServer(() => undefined);
  await server.close();
  unreachable = `${server.origin}/api`;
});
afterEach(() => {
  configureSession({ baseUrl: "/api", offlineUser: async () => null });
  signedOut();
});

describe("a session without a network", () => {
  it("goes on offline with the profile saved on this device, without a token", async () => {
    signedIn({ access_token: "old", user: reader });
    configureSession({ baseUrl: unreachable, offlineUser: async () => reader });
    expect(await refreshSession()).toBe(false);
    expect(getSession()).toEqual({ status: "signed-in", user: reader, offline: true });
    expect(getAccessToken()).toBeNull();
  });

  it("is signed out when nobody's profile is saved on this device", async () => {
    configureSession({ baseUrl: unreachable, offlineUser: async () => null });
    expect(await refreshSession()).toBe(false);
    expect(getSession()).toEqual({ status: "signed-out" });
  });
});
