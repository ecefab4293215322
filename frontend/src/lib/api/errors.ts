/** The API's one error shape, `{"error": {"code", "message", "details"}}`, as a thrown value. */

export type FieldProblem = { field: string; problem: string };

export type ErrorDetails = Record<string, unknown> & {
  fields?: FieldProblem[];
  book_id?: string;
  retry_after?: number;
};

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ErrorDetails;
  /** Seconds to wait, from `Retry-After` (rate limits); null when the answer gave none. */
  readonly retryAfter: number | null;

  constructor(
    status: number,
    code: string,
    message: string,
    details: ErrorDetails = {},
    retryAfter: number | null = null,
  ) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details;
    this.retryAfter = retryAfter;
  }

  /** The problem per field of a validation error (`details.fields`), by the field's name. */
  get fields(): Record<string, string> {
    const fields = Array.isArray(this.details.fields) ? this.details.fields : [];
    const byName: Record<string, string> = {};
    for (const item of fields) {
      // "body.email" and "email" both name the email field.
      const name = String(item.field).split(".").pop() ?? "";
      byName[name] ??= String(item.problem);
    }
    return byName;
  }
}

/** A network failure (no answer at all) becomes this code, so screens can say so. */
export const NETWORK_ERROR = "network_error";

function retryAfterSeconds(response: Response): number | null {
  const header = response.headers.get("Retry-After");
  if (header === null) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** Build an ApiError from a failed response and its already-parsed body (any shape). */
export function apiErrorFrom(response: Response, body: unknown): ApiError {
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } })
    ?.error;
  const code = typeof error?.code === "string" ? error.code : `http_${response.status}`;
  const message =
    typeof error?.message === "string" ? error.message : response.statusText || "Request failed";
  const details =
    error?.details && typeof error.details === "object" ? (error.details as ErrorDetails) : {};
  const retryAfter =
    retryAfterSeconds(response) ??
    (typeof details.retry_after === "number" ? details.retry_after : null);
  return new ApiError(response.status, code, message, details, retryAfter);
}
