import { QueryClientProvider } from "@tanstack/react-query";
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

export function App() {
  const [queryClient] = useState(createQueryClient);
  useProfileLanguage();
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
