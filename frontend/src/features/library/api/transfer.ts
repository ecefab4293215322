/** One HTTP request with upload progress (fetch cannot report it; XMLHttpRequest can). */

export type TransferResult = {
  status: number;
  body: string;
  headers: (name: string) => string | null;
};

export class TransferNetworkError extends Error {
  constructor() {
    super("The request did not reach the server.");
    this.name = "TransferNetworkError";
  }
}

export type Transfer = {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body: Blob | FormData;
  onProgress?: (loaded: number) => void;
  withCredentials?: boolean;
  signal?: AbortSignal;
};

/** Resolves with any HTTP answer (also 4xx/5xx); rejects only when no answer came. */
export function transfer(request: Transfer): Promise<TransferResult> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(request.method, request.url);
    xhr.withCredentials = request.withCredentials ?? false;
    for (const [name, value] of Object.entries(request.headers ?? {})) {
      xhr.setRequestHeader(name, value);
    }
    xhr.upload.onprogress = (event) => request.onProgress?.(event.loaded);
    xhr.onload = () =>
      resolve({
        status: xhr.status,
        body: xhr.responseText,
        headers: (n) => xhr.getResponseHeader(n),
      });
    xhr.onerror = () => reject(new TransferNetworkError());
    xhr.onabort = () => reject(new DOMException("The upload was cancelled.", "AbortError"));
    request.signal?.addEventListener("abort", () => xhr.abort());
    xhr.send(request.body);
  });
}
