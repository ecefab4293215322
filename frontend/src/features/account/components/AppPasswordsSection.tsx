/** App passwords: one per e-reader app (OPDS catalogue, KOReader sync), created here and shown
 * once, listed with when each was last used, and revoked. Never the account password. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { ConfirmDialog } from "@/components/ConfirmDialog";
import { useErrorText } from "@/components/ErrorNotice";
import { TextField } from "@/components/TextField";
import { ApiError } from "@/lib/api";
import {
  type AppPassword,
  type AppPasswordScope,
  appPasswordsKey,
  type CreatedAppPassword,
  createAppPassword,
  listAppPasswords,
  revokeAppPassword,
} from "../api/account";

const SCOPES: AppPasswordScope[] = ["opds", "kosync"];

/** Where an OPDS app finds the catalogue: this site's API, whatever prefix it is served under;
 * `/v2` is the same catalogue as OPDS 2.0 (JSON). */
export function catalogueUrl(origin: string = window.location.origin, version: 1 | 2 = 1): string {
  return `${origin}/api/opds${version === 2 ? "/v2" : ""}`;
}

/** What KOReader's "Progress sync → Custom sync server" is set to. */
export function syncServerUrl(origin: string = window.location.origin): string {
  return `${origin}/api/kosync`;
}

function CreatedNotice({ created, onDone }: { created: CreatedAppPassword; onDone: () => void }) {
  const { t } = useTranslation("account");
  const id = useId();
  const [copied, setCopied] = useState(false);
  async function copy() {
    await navigator.clipboard?.writeText(created.password);
    setCopied(true);
  }
  return (
    <div className="app-password-created" role="status" aria-labelledby={`${id}-title`}>
      <p id={`${id}-title`}>{t("appPasswords.createdFor", { name: created.name })}</p>
      <p>
        <code className="app-password-secret" aria-label={t("appPasswords.secret")}>
          {created.password}
        </code>
      </p>
      <p className="muted">{t("appPasswords.shownOnce")}</p>
      <div className="app-password-actions">
        <button type="button" className="button-quiet" onClick={copy}>
          {copied ? t("appPasswords.copied") : t("appPasswords.copy")}
        </button>
        <button type="button" className="button-quiet" onClick={onDone}>
          {t("appPasswords.done")}
        </button>
      </div>
    </div>
  );
}

function AppPasswordRow({ item, onRevoke }: { item: AppPassword; onRevoke: () => void }) {
  const { t, i18n } = useTranslation("account");
  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium", timeStyle: "short" });
  return (
    <li className="app-password-row">
      <div>
        <strong>{item.name}</strong>
        <p className="muted">
          {item.scopes.map((scope) => t(`appPasswords.scopes.${scope}`)).join(", ")}
        </p>
        <p className="muted">
          {t("appPasswords.created", { date: date.format(new Date(item.created_at)) })}
          {" · "}
          {item.last_used_at
            ? t("appPasswords.lastUsed", { date: date.format(new Date(item.last_used_at)) })
            : t("appPasswords.neverUsed")}
        </p>
      </div>
      <button
        type="button"
        className="button-quiet"
        onClick={onRevoke}
        aria-label={t("appPasswords.revokeNamed", { name: item.name })}
      >
        {t("appPasswords.revoke")}
      </button>
    </li>
  );
}

export function AppPasswordsSection() {
  const { t } = useTranslation("account");
  const errorText = useErrorText();
  const id = useId();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<AppPasswordScope[]>(SCOPES);
  const [created, setCreated] = useState<CreatedAppPassword | null>(null);
  const [revoking, setRevoking] = useState<AppPassword | null>(null);
  const list = useQuery({ queryKey: appPasswordsKey, queryFn: listAppPasswords });
  const create = useMutation({
    mutationFn: createAppPassword,
    onSuccess: (answer) => {
      setCreated(answer);
      setName("");
      void queryClient.invalidateQueries({ queryKey: appPasswordsKey });
    },
  });
  const revoke = useMutation({
    mutationFn: (item: AppPassword) => revokeAppPassword(item.id),
    onSuccess: () => {
      setRevoking(null);
      void queryClient.invalidateQueries({ queryKey: appPasswordsKey });
    },
  });
  const nameProblem = create.error instanceof ApiError ? create.error.fields.name : undefined;

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate({ name: name.trim(), scopes });
  }

  function toggle(scope: AppPasswordScope, on: boolean) {
    setScopes((current) => SCOPES.filter((item) => (item === scope ? on : current.includes(item))));
  }

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t("appPasswords.title")}</h2>
      <p className="muted">{t("appPasswords.about")}</p>
      <p>
        {t("appPasswords.catalogue")} <code>{catalogueUrl()}</code>
      </p>
      <p className="muted">
        {t("appPasswords.catalogueJson")} <code>{catalogueUrl(window.location.origin, 2)}</code>
      </p>
      <p>
        {t("appPasswords.syncServer")} <code>{syncServerUrl()}</code>
      </p>

      {created && <CreatedNotice created={created} onDone={() => setCreated(null)} />}

      <form onSubmit={submit} aria-label={t("appPasswords.create")}>
        <TextField
          label={t("appPasswords.name")}
          value={name}
          maxLength={60}
          placeholder={t("appPasswords.namePlaceholder")}
          onChange={setName}
          error={nameProblem}
        />
        <fieldset className="field app-password-scopes">
          <legend>{t("appPasswords.usedFor")}</legend>
          {SCOPES.map((scope) => (
            <div key={scope} className="checkbox-row">
              <input
                id={`${id}-${scope}`}
                type="checkbox"
                checked={scopes.includes(scope)}
                onChange={(event) => toggle(scope, event.target.checked)}
              />
              <label htmlFor={`${id}-${scope}`}>{t(`appPasswords.scopes.${scope}`)}</label>
            </div>
          ))}
        </fieldset>
        {create.error && !nameProblem && (
          <p className="error-text" role="alert">
            {errorText(create.error)}
          </p>
        )}
        <button
          type="submit"
          className="button-primary"
          disabled={create.isPending || !name.trim() || scopes.length === 0}
        >
          {t("appPasswords.create")}
        </button>
      </form>

      {list.error && (
        <p className="error-text" role="alert">
          {errorText(list.error)}
        </p>
      )}
      {list.data && list.data.length === 0 && <p className="muted">{t("appPasswords.none")}</p>}
      {list.data && list.data.length > 0 && (
        <ul className="app-password-list" aria-label={t("appPasswords.listLabel")}>
          {list.data.map((item) => (
            <AppPasswordRow key={item.id} item={item} onRevoke={() => setRevoking(item)} />
          ))}
        </ul>
      )}
      {revoke.error && (
        <p className="error-text" role="alert">
          {errorText(revoke.error)}
        </p>
      )}
      <ConfirmDialog
        open={revoking !== null}
        title={t("appPasswords.revokeTitle", { name: revoking?.name ?? "" })}
        body={t("appPasswords.revokeBody")}
        confirmLabel={t("appPasswords.revoke")}
        busy={revoke.isPending}
        onConfirm={() => revoking && revoke.mutate(revoking)}
        onCancel={() => setRevoking(null)}
      />
    </section>
  );
}
