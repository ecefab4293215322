/**
 * Sending one book file: ask the API for a presigned PUT (or learn the book is already there),
 * send the bytes straight to the store with progress, and fall back to the multipart route for
 * small files when the store cannot be reached. Progress and outcome go to `dispatch`.
 */
import {
  API_BASE,
  ApiError,
  api,
  getAccessToken,
  NETWORK_ERROR,
  refreshSession,
  type UploadResult,
  unwrap,
} from "@/lib/api";
import type { UploadAction, UploadError } from "../uploadState";
import { type Transfer, type TransferResult, TransferNetworkError, transfer } from "./transfer";

/** The multipart route takes files up to this size (the API's request body limit). */
export const MULTIPART_LIMIT = 6 * 1024 * 1024;

type Dispatch = (action: UploadAction) => void;

/** The file's SHA-256, or null where it cannot be computed (the server checks after upload). */
export async function sha256Hex(file: Blob): Promise<string | null> {
  if (!globalThis.crypto?.subtle) return null; // not a secure context
  try {
    const digest = await crypto.subtle.digest("SHA-256", await file.arrayBuffer());
    return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
  } catch {
    return null;
  }
}

function asUploadError(error: unknown): UploadError {
  if (error instanceof ApiError) {
    return { code: error.code, message: error.message, details: error.details };
  }
  if (error instanceof TransferNetworkError) {
    return { code: NETWORK_ERROR, message: error.message, details: {} };
  }
  return { code: "upload_failed", message: String(error), details: {} };
}

function errorOfAnswer(result: TransferResult): UploadError {
  try {
    const body = JSON.parse(result.body) as { error?: UploadError };
    if (body.error?.code) return { ...body.error, details: body.error.details ?? {} };
  } catch {
    // A store answers in XML or plain text; the status says enough.
  }
  return { code: `upload_http_${result.status}`, message: result.body.slice(0, 200), details: {} };
}

/** The multipart route needs the access token, and one refresh when it has expired. */
async function sendToApi(request: Omit<Transfer, "headers">): Promise<TransferResult> {
  const attempt = () => {
    const token = getAccessToken();
    return transfer({
      ...request,
      withCredentials: true,
      headers: token ? { Authorization: `Bearer ${token}` } : {},
    });
  };
  const result = await attempt();
  if (result.status === 401 && (await refreshSession())) return attempt();
  return result;
}

async function sendMultipart(file: File, id: string, dispatch: Dispatch): Promise<void> {
  const form = new FormData();
  form.append("file", file, file.name);
  const result = await sendToApi({
    method: "POST",
    url: `${API_BASE}/books`,
    body: form,
    onProgress: (loaded) => dispatch({ type: "progress", id, loaded: Math.min(loaded, file.size) }),
  });
  if (result.status !== 200 && result.status !== 201) {
    dispatch({ type: "failed", id, error: errorOfAnswer(result) });
    return;
  }
  const answer = JSON.parse(result.body) as UploadResult;
  if (answer.existing) dispatch({ type: "duplicate", id, bookId: answer.book.id });
  else dispatch({ type: "sent", id, bookId: answer.book.id });
}

export async function uploadBook(file: File, id: string, dispatch: Dispatch): Promise<void> {
  try {
    const sha256 = await sha256Hex(file);
    dispatch({ type: "starting", id });
    const started = await unwrap(
      api.POST("/uploads", {
        body: {
          filename: file.name,
          size: file.size,
          content_type: file.type || "application/octet-stream",
          ...(sha256 ? { sha256 } : {}),
        },
      }),
    );
    const bookId = started.book.id;
    if (started.existing || !started.upload) {
      dispatch({ type: "duplicate", id, bookId });
      return;
    }
    dispatch({ type: "started", id, bookId });
    let result: TransferResult;
    try {
      result = await transfer({
        method: started.upload.method,
        url: started.upload.url,
        headers: started.upload.headers,
        body: file,
        onProgress: (loaded) => dispatch({ type: "progress", id, loaded }),
      });
    } catch (error) {
      if (!(error instanceof TransferNetworkError) || file.size > MULTIPART_LIMIT) throw error;
      // The store is out of reach from this browser: drop the waiting book, send through the API.
      await api.DELETE("/books/{book_id}", { params: { path: { book_id: bookId } } });
      await sendMultipart(file, id, dispatch);
      return;
    }
    if (result.status >= 200 && result.status < 300) {
      dispatch({ type: "sent", id, bookId });
    } else {
      dispatch({ type: "failed", id, error: errorOfAnswer(result) });
    }
  } catch (error) {
    dispatch({ type: "failed", id, error: asUploadError(error) });
  }
}
