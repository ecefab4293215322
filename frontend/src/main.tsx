import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "@/app/App";
import { startOfflineSupport, offlineUser } from "@/features/offline/start";
import { configureSession, refreshSession } from "@/lib/api";
import { i18n } from "@/lib/i18n";
import "@/styles/global.css";

document.documentElement.lang = i18n.language;
// The session survives a reload only through the refresh cookie: ask for a token at once.
// Without a network, the profile saved on this device opens the books kept for offline reading.
configureSession({ offlineUser });
void refreshSession();
startOfflineSupport();

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
