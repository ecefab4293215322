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
export type Chapter = Schemas["ChapterView"];
export type Footnote = Schemas["FootnoteView"];
export type ReadingPosition = Schemas["ReadingPosition"];
export type UploadResult = Schemas["UploadResult"];
export type Description = Schemas["DescriptionView"];
export type Illustration = Schemas["Illustration"];
export type IllustrationSettings = Schemas["IllustrationSettings"];
export type IllustrationSettingsChange = Schemas["PreferencesUpdate"];
export type ImageQuota = Schemas["ImageQuota"];
export type Highlight = Schemas["Highlight"];
export type HighlightCreate = Schemas["HighlightCreate"];
export type HighlightUpdate = Schemas["HighlightUpdate"];
export type Bookmark = Schemas["Bookmark"];
export type HighlightColor = Schemas["HighlightCreate"]["color"];
