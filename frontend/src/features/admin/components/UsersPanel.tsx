/** Find users, change their role, disable or enable them (after a confirmation), set quotas. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { ConfirmDialog } from "@/components/ConfirmDialog";
import { ErrorNotice, useErrorText } from "@/components/ErrorNotice";
import { type User, useSession } from "@/lib/api";
import { adminKeys, listUsers, PAGE_SIZE, updateUser } from "../api/admin";
import { QuotaEditor } from "./QuotaEditor";

/** A change waiting for the administrator's confirmation. */
type Pending = { user: User; disabled: boolean } | { user: User; role: User["role"] } | null;

export function UsersPanel() {
  const { t, i18n } = useTranslation("admin");
  const errorText = useErrorText();
  const id = useId();
  const client = useQueryClient();
  const session = useSession();
  const me = session.status === "signed-in" ? session.user.id : null;
  const [draft, setDraft] = useState("");
  const [q, setQ] = useState("");
  const [page, setPage] = useState(1);
  const [quotaFor, setQuotaFor] = useState<string | null>(null);
  const [pending, setPending] = useState<Pending>(null);
  const users = useQuery({
    queryKey: adminKeys.users(q, page),
    queryFn: () => listUsers(q, page),
    placeholderData: keepPreviousData,
  });
  const change = useMutation({
    mutationFn: ({ user, ...changes }: { user: User; role?: User["role"]; disabled?: boolean }) =>
      updateUser(user.id, changes),
    onSuccess: () => {
      setPending(null);
      void client.invalidateQueries({ queryKey: adminKeys.all });
    },
  });
  const pages = users.data ? Math.max(1, Math.ceil(users.data.total / PAGE_SIZE)) : 1;
  const dateFormat = new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium" });

  function search(event: FormEvent) {
    event.preventDefault();
    setQ(draft.trim());
    setPage(1);
  }

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t("users.title")}</h2>
      <form role="search" className="admin-search" onSubmit={search}>
        <label htmlFor={`${id}-q`} className="visually-hidden">
          {t("users.search")}
        </label>
        <input
          id={`${id}-q`}
          type="search"
          placeholder={t("users.searchPlaceholder")}
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
        />
        <button type="submit">{t("users.search")}</button>
      </form>
      <ErrorNotice error={users.error} />
      {change.error && !pending && (
        <p className="error-text" role="alert">
          {errorText(change.error)}
        </p>
      )}
      {users.data && (
        <p className="muted small" aria-live="polite">
          {t("users.found", { count: users.data.total })}
        </p>
      )}
      {users.data && users.data.items.length > 0 && (
        <div className="admin-table-wrap">
          <table className="admin-table admin-users">
            <thead>
              <tr>
                <th scope="col">{t("users.user")}</th>
                <th scope="col">{t("users.role")}</th>
                <th scope="col">{t("users.status")}</th>
                <th scope="col">{t("users.since")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("users.actions")}</span>
                </th>
              </tr>
            </thead>
            {users.data.items.map((user) => (
              <tbody key={user.id}>
                <tr>
                  <th scope="row">
                    <span className="admin-email">{user.email}</span>
                    {user.display_name && <span className="muted small"> {user.display_name}</span>}
                  </th>
                  <td>
                    <label className="visually-hidden" htmlFor={`${id}-role-${user.id}`}>
                      {t("users.roleOf", { email: user.email })}
                    </label>
                    <select
                      id={`${id}-role-${user.id}`}
                      value={user.role}
                      disabled={user.id === me || change.isPending}
                      onChange={(event) =>
                        setPending({ user, role: event.target.value as User["role"] })
                      }
                    >
                      <option value="user">{t("role.user")}</option>
                      <option value="admin">{t("role.admin")}</option>
                    </select>
                  </td>
                  <td>{user.disabled ? t("users.disabled") : t("users.active")}</td>
                  <td>{dateFormat.format(new Date(user.created_at))}</td>
                  <td className="admin-actions">
                    <button
                      type="button"
                      className="button-quiet"
                      aria-expanded={quotaFor === user.id}
                      aria-label={t("users.quotaOf", { email: user.email })}
                      onClick={() => setQuotaFor(quotaFor === user.id ? null : user.id)}
                    >
                      {t("users.quota")}
                    </button>
                    {user.id !== me && (
                      <button
                        type="button"
                        className={user.disabled ? "button-quiet" : "button-danger"}
                        aria-label={t(user.disabled ? "users.enableOf" : "users.disableOf", {
                          email: user.email,
                        })}
                        onClick={() => setPending({ user, disabled: !user.disabled })}
                      >
                        {user.disabled ? t("users.enable") : t("users.disable")}
                      </button>
                    )}
                  </td>
                </tr>
                {quotaFor === user.id && (
                  <tr>
                    <td colSpan={5}>
                      <QuotaEditor userId={user.id} email={user.email} />
                    </td>
                  </tr>
                )}
              </tbody>
            ))}
          </table>
        </div>
      )}
      {pages > 1 && (
        <nav className="pagination" aria-label={t("users.pages")}>
          <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            {t("users.previous")}
          </button>
          <span aria-current="page">{t("users.page", { page, pages })}</span>
          <button type="button" disabled={page >= pages} onClick={() => setPage(page + 1)}>
            {t("users.next")}
          </button>
        </nav>
      )}
      <ConfirmDialog
        open={pending !== null}
        title={pending ? confirmTitle(pending, t) : ""}
        body={pending ? confirmBody(pending, t) : ""}
        confirmLabel={pending ? confirmLabel(pending, t) : ""}
        busy={change.isPending}
        onConfirm={() => pending && change.mutate(pending)}
        onCancel={() => {
          setPending(null);
          change.reset();
        }}
      />
    </section>
  );
}

type Translate = (key: string, options?: Record<string, string>) => string;

function confirmTitle(pending: NonNullable<Pending>, t: Translate): string {
  const email = pending.user.email;
  if ("role" in pending)
    return t("users.confirmRoleTitle", { email, role: t(`role.${pending.role}`) });
  return t(pending.disabled ? "users.confirmDisableTitle" : "users.confirmEnableTitle", { email });
}

function confirmBody(pending: NonNullable<Pending>, t: Translate): string {
  if ("role" in pending)
    return t(pending.role === "admin" ? "users.confirmPromoteBody" : "users.confirmDemoteBody");
  return t(pending.disabled ? "users.confirmDisableBody" : "users.confirmEnableBody");
}

function confirmLabel(pending: NonNullable<Pending>, t: Translate): string {
  if ("role" in pending) return t("users.changeRole");
  return t(pending.disabled ? "users.disable" : "users.enable");
}
