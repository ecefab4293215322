/** The sign-in and registration form: labelled fields, inline errors, the rate-limit countdown. */
import { type FormEvent, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useErrorText } from "@/components/ErrorNotice";
import { usePageTitle } from "@/components/usePageTitle";
import { useCountdown } from "@/hooks/useCountdown";
import { ApiError } from "@/lib/api";
import { i18n, isLanguage } from "@/lib/i18n";
import { register, signIn } from "../api/auth";
import { fieldErrors, type FieldName } from "../fieldErrors";
import { LanguageSwitch } from "./LanguageSwitch";

type Mode = "sign-in" | "register";

export function AuthForm({ mode }: { mode: Mode }) {
  const { t } = useTranslation("auth");
  const errorText = useErrorText();
  const id = useId();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const countdown = useCountdown();
  const title = mode === "sign-in" ? t("signInTitle") : t("registerTitle");
  usePageTitle(title);

  const fields = fieldErrors(error, t);
  const limited = error instanceof ApiError && error.status === 429;
  const formError = error && Object.keys(fields).length === 0 && !limited ? errorText(error) : null;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      if (mode === "sign-in") await signIn({ email, password });
      else {
        const locale = isLanguage(i18n.language) ? i18n.language : "en";
        await register({
          email,
          password,
          locale,
          ...(displayName ? { display_name: displayName } : {}),
        });
      }
      // The session gate sends us on once the session is published.
    } catch (caught) {
      setError(caught);
      if (caught instanceof ApiError && caught.status === 429)
        countdown.start(caught.retryAfter ?? 60);
    } finally {
      setPending(false);
    }
  }

  const describe = (name: FieldName) => (fields[name] ? `${id}-${name}-error` : undefined);
  const fieldError = (name: FieldName) =>
    fields[name] ? (
      <p id={`${id}-${name}-error`} className="field-error">
        {fields[name]}
      </p>
    ) : null;

  return (
    <main id="main" className="auth-page">
      <div className="auth-card">
        <div className="auth-top">
          <span className="brand">{t("common:appName")}</span>
          <LanguageSwitch />
        </div>
        <h1>{title}</h1>
        <form onSubmit={submit} noValidate>
          <div className="field">
            <label htmlFor={`${id}-email`}>{t("email")}</label>
            <input
              id={`${id}-email`}
              name="email"
              type="email"
              autoComplete={mode === "sign-in" ? "username" : "email"}
              required
              value={email}
              onChange={(event) => setEmail(event.target.value)}
              aria-invalid={fields.email ? true : undefined}
              aria-describedby={describe("email")}
            />
            {fieldError("email")}
          </div>
          <div className="field">
            <label htmlFor={`${id}-password`}>{t("password")}</label>
            <input
              id={`${id}-password`}
              name="password"
              type="password"
              autoComplete={mode === "sign-in" ? "current-password" : "new-password"}
              required
              value={password}
              onChange={(event) => setPassword(event.target.value)}
              aria-invalid={fields.password ? true : undefined}
              aria-describedby={describe("password")}
            />
            {fieldError("password")}
          </div>
          {mode === "register" && (
            <div className="field">
              <label htmlFor={`${id}-name`}>{t("displayName")}</label>
              <input
                id={`${id}-name`}
                name="display_name"
                autoComplete="nickname"
                value={displayName}
                onChange={(event) => setDisplayName(event.target.value)}
                aria-invalid={fields.display_name ? true : undefined}
                aria-describedby={describe("display_name")}
              />
              {fieldError("display_name")}
            </div>
          )}
          {limited && (
            <p className="error-text" role="alert">
              {countdown.secondsLeft > 0
                ? t("rateLimited", { count: countdown.secondsLeft })
                : t("rateLimitOver")}
            </p>
          )}
          {formError && (
            <p className="error-text" role="alert">
              {formError}
            </p>
          )}
          <button
            type="submit"
            className="button-primary wide"
            disabled={pending || countdown.secondsLeft > 0}
          >
            {title}
          </button>
        </form>
        <p className="auth-switch">
          {mode === "sign-in" ? (
            <>
              {t("noAccount")} <Link to="/register">{t("registerLink")}</Link>
            </>
          ) : (
            <>
              {t("haveAccount")} <Link to="/sign-in">{t("signInLink")}</Link>
            </>
          )}
        </p>
      </div>
    </main>
  );
}
