/** Names for the API's schemas, so features import types from one place. */
import type { components } from "./schema";

type Schemas = components["schemas"];
export type User = Schemas["User"];
export type BookSummary = Schemas["BookSummary"];
export type BookDetail = Schemas["BookDetail"];
export type BookState = BookSummary["state"];
export type TocEntry = Schemas["TocEntry"];
export type ReadingPosition = Schemas["Position"];
export type UploadStarted = Schemas["UploadStarted"];
