import { useTranslation } from "react-i18next";
import { type Language, LANGUAGES, setLanguage } from "@/lib/i18n";

const NAMES: Record<Language, string> = { en: "English", ru: "Русский" };

/** Before signing in the language is chosen here; afterwards the profile holds it. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation("auth");
  return (
    <label className="language-switch">
      <span className="visually-hidden">{t("language")}</span>
      <select
        value={i18n.language}
        onChange={(event) => setLanguage(event.target.value as Language)}
      >
        {LANGUAGES.map((language) => (
          <option key={language} value={language} lang={language}>
            {NAMES[language]}
          </option>
        ))}
      </select>
    </label>
  );
}
