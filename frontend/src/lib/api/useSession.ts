import { useSyncExternalStore } from "react";
import { getSession, type SessionState, subscribeSession } from "./session";

/** The current session, re-rendering when it changes (sign-in, refresh failure, sign-out). */
export function useSession(): SessionState {
  return useSyncExternalStore(subscribeSession, getSession, getSession);
}
