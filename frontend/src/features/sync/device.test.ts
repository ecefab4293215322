import { deviceId, deviceParts } from "./device";

const LINUX_CHROMIUM =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

describe("deviceParts", () => {
  it("names the browser and system from the user agent", () => {
    const cases: [string, string, string][] = [
      [
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
        "Chrome",
        "Android",
      ],
      [
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
        "Safari",
        "iPhone",
      ],
      [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
        "Firefox",
        "Windows",
      ],
      [
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
        "Edge",
        "macOS",
      ],
      [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 YaBrowser/24.12.0.0 Safari/537.36",
        "Yandex Browser",
        "Windows",
      ],
      [LINUX_CHROMIUM, "Chrome", "Linux"],
    ];
    for (const [agent, browser, system] of cases) {
      expect(deviceParts(agent)).toEqual({ browser, system });
    }
  });

  it("tells Chromium from Chrome by the client hints", () => {
    const hints = { brands: [{ brand: "Not A(Brand" }, { brand: "Chromium" }], platform: "Linux" };
    expect(deviceParts(LINUX_CHROMIUM, hints)).toEqual({ browser: "Chromium", system: "Linux" });
    const chrome = { brands: [{ brand: "Chromium" }, { brand: "Google Chrome" }], platform: "" };
    expect(deviceParts(LINUX_CHROMIUM, chrome)).toEqual({ browser: "Chrome", system: "Linux" });
  });

  it("says nothing it does not know", () => {
    expect(deviceParts("curl/8.5")).toEqual({ browser: null, system: null });
  });
});

describe("deviceId", () => {
  it("is made once and kept", () => {
    localStorage.removeItem("bookreader.device");
    const first = deviceId();
    expect(first).toMatch(/^[A-Za-z0-9._:-]{8,64}$/);
    expect(deviceId()).toBe(first);
    expect(localStorage.getItem("bookreader.device")).toBe(first);
  });
});
