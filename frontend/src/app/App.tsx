import { type QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { I18nextProvider } from "react-i18next";
import { BrowserRouter } from "react-router";
import { useSession } from "@/lib/api";
import { i18n, isLanguage, setLanguage } from "@/lib/i18n";
import { createQueryClient } from "./queryClient";
import { AppRoutes } from "./router";

/** The profile's language wins once the session is known. */
function useProfileLanguage(): void {
  const session = useSession();
  const locale = session.status === "signed-in" ? session.user.locale : null;
  useEffect(() => {
    if (isLanguage(locale) && locale !== i18n.language) setLanguage(locale);
  }, [locale]);
}

/**
 * The reader's theme colours the whole app when it is dark or sepia; "light" is the API's default,
 * so it leaves the choice to the system's light/dark setting.
 */
function useReaderTheme(): void {
  const session = useSession();
  const theme = session.status === "signed-in" ? session.user.preferences?.theme : undefined;
  useEffect(() => {
    const root = document.documentElement;
    if (theme === "dark" || theme === "sepia") root.dataset.theme = theme;
    else delete root.dataset.theme;
  }, [theme]);
}

/** Whatever ends the session (signing out, a refused refresh), the next account starts clean. */
function useForgetOnSignOut(queryClient: QueryClient): void {
  const signedOut = useSession().status === "signed-out";
  useEffect(() => {
    if (signedOut) queryClient.clear();
  }, [signedOut, queryClient]);
}

export function App() {
  const [queryClient] = useState(createQueryClient);
  useForgetOnSignOut(queryClient);
  useProfileLanguage();
  useReaderTheme();
  return (
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <AppRoutes />
        </BrowserRouter>
      </QueryClientProvider>
    </I18nextProvider>
  );
}
