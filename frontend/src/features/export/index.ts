/** What other features may use from exports. */
export { ExportBook } from "./components/ExportBook";
