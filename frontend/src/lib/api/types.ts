/** Names for the API's schemas (generated from openapi.json), so features import from one place. */
import type { components } from "./schema";

type Schemas = components["schemas"];
export type User = Schemas["User"];
export type ReaderPreferences = Schemas["ReaderPreferences"];
export type BookSummary = Schemas["BookSummary"];
export type BookDetail = Schemas["BookDetail"];
export type BookPage = Schemas["BookPage"];
export type BookState = BookSummary["state"];
export type BookError = Schemas["ErrorDetail"];
export type TocEntry = Schemas["TocEntry"];
export type ReadingPosition = Schemas["ReadingPosition"];
export type UploadResult = Schemas["UploadResult"];
