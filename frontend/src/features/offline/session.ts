/**
 * Ties offline reading to the session: the signed-in user owns the device's offline data (another
 * user's is dropped), signing out removes it, positions queued offline are sent when the app is
 * signed in online again, and an offline session tries to reconnect when the network is back.
 */
import {
  getSession,
  refreshSession,
  type SessionState,
  type SessionUser,
  subscribeSession,
} from "@/lib/api";
import { claimOfflineData, readOwner } from "./core/offlineDb";
import { forgetCachedBooks, forgetOfflineData } from "./forget";
import { sendQueuedPositionsOnceOnline } from "./sync";

const RECONNECT_MS = 30_000;

/** The profile saved on this device by the last sign-in, if nobody signed out since. */
export async function savedUser(): Promise<SessionUser | null> {
  if (!("indexedDB" in globalThis)) return null;
  const owner = await readOwner();
  return (owner?.user as SessionUser | null | undefined) ?? null;
}

function kindOf(state: SessionState): string {
  if (state.status !== "signed-in") return state.status;
  return `${state.user.id}:${state.offline ? "offline" : "online"}`;
}

let started = false;

export function startOfflineSession(): void {
  if (started || !("indexedDB" in globalThis)) return;
  started = true;
  let previous = "";
  let reconnect: number | undefined;

  const onChange = () => {
    const state = getSession();
    const kind = kindOf(state);
    const moved = kind !== previous;
    previous = kind;
    window.clearInterval(reconnect);
    reconnect = undefined;
    if (state.status === "signed-out" && moved) {
      void forgetOfflineData();
    } else if (state.status === "signed-in" && state.offline) {
      reconnect = window.setInterval(() => void refreshSession(), RECONNECT_MS);
    } else if (state.status === "signed-in") {
      // Also on profile changes: the saved profile is what an offline start shows.
      void claimOfflineData(state.user.id, state.user)
        .then(async (someoneElses) => {
          if (someoneElses) await forgetCachedBooks();
          if (moved) await sendQueuedPositionsOnceOnline();
        })
        .catch(() => undefined);
    }
  };

  subscribeSession(onChange);
  onChange();
  window.addEventListener("online", () => {
    const state = getSession();
    if (state.status !== "signed-in") return;
    if (state.offline) void refreshSession();
    else void sendQueuedPositionsOnceOnline().catch(() => undefined);
  });
}
