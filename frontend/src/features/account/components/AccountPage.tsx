/** The account: display name, the interface language, and the password. */
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { useErrorText } from "@/components/ErrorNotice";
import { TextField } from "@/components/TextField";
import { usePageTitle } from "@/components/usePageTitle";
import { ApiError, useSession, type User } from "@/lib/api";
import { type Language, LANGUAGES, setLanguage } from "@/lib/i18n";
import { changePassword, updateProfile } from "../api/account";
import { AppPasswordsSection } from "./AppPasswordsSection";
import { IllustrationSettingsForm } from "./IllustrationSettingsForm";

const LANGUAGE_NAMES: Record<Language, string> = { en: "English", ru: "Русский" };

function fieldProblem(error: unknown, ...names: string[]): string | null {
  if (!(error instanceof ApiError)) return null;
  for (const name of names) if (error.fields[name]) return error.fields[name];
  return null;
}

function ProfileForm({ user }: { user: User }) {
  const { t } = useTranslation("account");
  const errorText = useErrorText();
  const id = useId();
  const [name, setName] = useState(user.display_name ?? "");
  const save = useMutation({ mutationFn: updateProfile });
  const nameProblem = fieldProblem(save.error, "display_name");

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate({ display_name: name.trim() || null });
  }

  return (
    <form onSubmit={submit} className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t("profile")}</h2>
      <p className="muted">{user.email}</p>
      <TextField
        label={t("displayName")}
        value={name}
        autoComplete="nickname"
        onChange={setName}
        error={nameProblem}
      />
      {save.error && !nameProblem && (
        <p className="error-text" role="alert">
          {errorText(save.error)}
        </p>
      )}
      {save.isSuccess && (
        <p className="success-text" role="status">
          {t("saved")}
        </p>
      )}
      <button type="submit" className="button-primary" disabled={save.isPending}>
        {t("saveProfile")}
      </button>
    </form>
  );
}

function LanguageForm({ user }: { user: User }) {
  const { t } = useTranslation("account");
  const errorText = useErrorText();
  const id = useId();
  const save = useMutation({
    mutationFn: (locale: Language) => updateProfile({ locale }),
    onSuccess: (saved) => setLanguage(saved.locale),
  });
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t("languageTitle")}</h2>
      <div className="field">
        <label htmlFor={`${id}-language`}>{t("language")}</label>
        <select
          id={`${id}-language`}
          value={user.locale}
          disabled={save.isPending}
          onChange={(event) => save.mutate(event.target.value as Language)}
        >
          {LANGUAGES.map((language) => (
            <option key={language} value={language} lang={language}>
              {LANGUAGE_NAMES[language]}
            </option>
          ))}
        </select>
      </div>
      {save.error && (
        <p className="error-text" role="alert">
          {errorText(save.error)}
        </p>
      )}
    </section>
  );
}

function PasswordForm() {
  const { t } = useTranslation("account");
  const errorText = useErrorText();
  const id = useId();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const change = useMutation({
    mutationFn: changePassword,
    onSuccess: () => {
      setCurrent("");
      setNext("");
    },
  });
  const error = change.error;
  const code = error instanceof ApiError ? error.code : null;
  const currentProblem =
    code === "password_incorrect" ? t("currentWrong") : fieldProblem(error, "current_password");
  const newProblem =
    code === "password_weak"
      ? t(`weak.${String((error as ApiError).details.reason ?? "")}`, {
          defaultValue: (error as ApiError).message,
        })
      : fieldProblem(error, "new_password");
  const other = error && !currentProblem && !newProblem ? errorText(error) : null;

  function submit(event: FormEvent) {
    event.preventDefault();
    change.mutate({ current_password: current, new_password: next });
  }

  return (
    <form onSubmit={submit} className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t("passwordTitle")}</h2>
      <TextField
        label={t("currentPassword")}
        type="password"
        autoComplete="current-password"
        value={current}
        onChange={setCurrent}
        error={currentProblem}
      />
      <TextField
        label={t("newPassword")}
        type="password"
        autoComplete="new-password"
        value={next}
        onChange={setNext}
        error={newProblem}
      />
      {other && (
        <p className="error-text" role="alert">
          {other}
        </p>
      )}
      {change.isSuccess && (
        <p className="success-text" role="status">
          {t("passwordChanged")}
        </p>
      )}
      <button
        type="submit"
        className="button-primary"
        disabled={change.isPending || !current || !next}
      >
        {t("changePassword")}
      </button>
    </form>
  );
}

export default function AccountPage() {
  const { t } = useTranslation("account");
  usePageTitle(t("title"));
  const session = useSession();
  if (session.status !== "signed-in") return null;
  return (
    <div className="page narrow account-page">
      <h1>{t("title")}</h1>
      <ProfileForm user={session.user} />
      <LanguageForm user={session.user} />
      <IllustrationSettingsForm />
      <PasswordForm />
      <AppPasswordsSection />
    </div>
  );
}
