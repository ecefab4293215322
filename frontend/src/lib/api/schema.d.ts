// Placeholder until `npm run gen:api` generates this file from openapi.json (the API's document).
// Only the routes the SPA calls, in openapi-typescript's shape.
type Json<T> = { content: { "application/json": T } };
type ErrorBody = { error: { code: string; message: string; details: Record<string, unknown> } };
type Op<Params, Body, Ok> = {
  parameters: Params;
  requestBody?: Body extends undefined ? never : Json<Body>;
  responses: { 200: Json<Ok>; 201: Json<Ok>; 204: { content: never }; default: Json<ErrorBody> };
};
type NoParams = { query?: never; path?: never };
type BookPath = { query?: never; path: { book_id: string } };

export interface components {
  schemas: {
    User: {
      id: string;
      email: string;
      display_name: string | null;
      locale: "ru" | "en";
      role: string;
      reader_preferences?: Record<string, unknown>;
    };
    SignedIn: {
      access_token: string;
      token_type: string;
      expires_in: number;
      user: components["schemas"]["User"];
    };
    BookError: { code: string; message: string; details: Record<string, unknown> };
    BookSummary: {
      id: string;
      title: string;
      authors: string[];
      language: string | null;
      format: string | null;
      state:
        | "uploading"
        | "parsing"
        | "parsed"
        | "extracting"
        | "ready"
        | "failed"
        | "extraction_unsupported_language";
      progress: number;
      error: components["schemas"]["BookError"] | null;
      cover_thumbnail_url: string | null;
      word_count: number | null;
      reading_minutes: number | null;
      created_at: string;
      reading_progress?: number | null;
    };
    TocEntry: {
      title: string;
      chapter: number;
      offset?: number;
      children?: components["schemas"]["TocEntry"][];
    };
    ChapterListItem: { index: number; title: string | null; level?: number; word_count?: number };
    BookDetail: components["schemas"]["BookSummary"] & {
      filename: string;
      size: number | null;
      metadata: Record<string, unknown> | null;
      toc: components["schemas"]["TocEntry"][] | null;
      chapter_count: number | null;
      chapters: components["schemas"]["ChapterListItem"][];
      has_cover: boolean;
      extraction: {
        language: string | null;
        chapters_done: number | null;
        chapters_total: number | null;
      };
      parsed_at: string | null;
    };
    BookPage: {
      items: components["schemas"]["BookSummary"][];
      total: number;
      page: number;
      page_size: number;
    };
    UploadStarted: {
      book_id: string;
      existing: boolean;
      book?: components["schemas"]["BookSummary"];
      upload?: { method: string; url: string; headers: Record<string, string>; expires_at: string };
    };
    Position: { book_id: string; chapter: number; offset: number; updated_at: string };
  };
}
type S = components["schemas"];

export interface paths {
  "/auth/register": {
    post: Op<
      NoParams,
      { email: string; password: string; display_name?: string | null; locale?: "ru" | "en" },
      S["SignedIn"]
    >;
  };
  "/auth/login": { post: Op<NoParams, { email: string; password: string }, S["SignedIn"]> };
  "/auth/refresh": { post: Op<NoParams, undefined, S["SignedIn"]> };
  "/auth/logout": { post: Op<NoParams, undefined, never> };
  "/auth/me": {
    get: Op<NoParams, undefined, S["User"]>;
    patch: Op<
      NoParams,
      { display_name?: string | null; locale?: "ru" | "en"; reader_preferences?: object },
      S["User"]
    >;
  };
  "/auth/password": {
    post: Op<
      NoParams,
      { current_password: string; new_password: string },
      { access_token: string; token_type: string; expires_in: number }
    >;
  };
  "/books": {
    get: Op<
      {
        query?: {
          state?: string;
          language?: string;
          author?: string;
          q?: string;
          sort?: "created" | "title" | "author";
          order?: "asc" | "desc";
          page?: number;
          page_size?: number;
        };
        path?: never;
      },
      undefined,
      S["BookPage"]
    >;
  };
  "/uploads": {
    post: Op<
      NoParams,
      { filename: string; size: number; content_type?: string; sha256?: string },
      S["UploadStarted"]
    >;
  };
  "/books/{book_id}": {
    get: Op<BookPath, undefined, S["BookDetail"]>;
    delete: Op<BookPath, undefined, never>;
  };
  "/books/{book_id}/position": {
    get: Op<BookPath, undefined, S["Position"]>;
    put: Op<BookPath, { chapter: number; offset: number }, S["Position"]>;
  };
}
