/** An API error told in the user's language, or the server's own message for unknown codes. */
import { useTranslation } from "react-i18next";
import { ApiError } from "@/lib/api";

export function useErrorText(): (error: unknown) => string {
  const { t } = useTranslation();
  return (error) => {
    if (error instanceof ApiError) {
      return t(`errors.${error.code}`, { defaultValue: error.message });
    }
    return t("errors.unknown");
  };
}

export function ErrorNotice({ error }: { error: unknown }) {
  const text = useErrorText();
  if (!error) return null;
  return (
    <p className="error-text" role="alert">
      {text(error)}
    </p>
  );
}
