/** The sign-in and registration form: labelled fields, inline errors, the rate-limit countdown. */
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useErrorText } from "@/components/ErrorNotice";
import { TextField } from "@/components/TextField";
import { usePageTitle } from "@/components/usePageTitle";
import { useCountdown } from "@/hooks/useCountdown";
import { ApiError } from "@/lib/api";
import { i18n, isLanguage } from "@/lib/i18n";
import { register, signIn } from "../api/auth";
import { fieldErrors } from "../fieldErrors";
import { LanguageSwitch } from "./LanguageSwitch";

type Mode = "sign-in" | "register";

export function AuthForm({ mode }: { mode: Mode }) {
  const { t } = useTranslation("auth");
  const errorText = useErrorText();
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

  return (
    <main id="main" className="auth-page">
      <div className="auth-card">
        <div className="auth-top">
          <span className="brand">{t("common:appName")}</span>
          <LanguageSwitch />
        </div>
        <h1>{title}</h1>
        <form onSubmit={submit} noValidate>
          <TextField
            label={t("email")}
            name="email"
            type="email"
            autoComplete={mode === "sign-in" ? "username" : "email"}
            required
            value={email}
            onChange={setEmail}
            error={fields.email}
          />
          <TextField
            label={t("password")}
            name="password"
            type="password"
            autoComplete={mode === "sign-in" ? "current-password" : "new-password"}
            required
            value={password}
            onChange={setPassword}
            error={fields.password}
          />
          {mode === "register" && (
            <TextField
              label={t("displayName")}
              name="display_name"
              autoComplete="nickname"
              value={displayName}
              onChange={setDisplayName}
              error={fields.display_name}
            />
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
