/** What other parts of the app may use from the auth feature. */
export { useSignOut } from "./hooks/useSignOut";
