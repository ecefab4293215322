/**
 * Registers the service worker once the page has loaded and the browser is idle, so it never
 * competes with the first paint or the first API calls.
 */
export function registerServiceWorker(url = "/sw.js"): void {
  if (!("serviceWorker" in navigator)) return;
  const register = () => {
    navigator.serviceWorker.register(url, { scope: "/" }).catch(() => {
      // No service worker (private mode, blocked): the app works online as before.
    });
  };
  const whenIdle = () =>
    typeof window.requestIdleCallback === "function"
      ? window.requestIdleCallback(register, { timeout: 5000 })
      : window.setTimeout(register, 1000);
  if (document.readyState === "complete") whenIdle();
  else window.addEventListener("load", whenIdle, { once: true });
}
