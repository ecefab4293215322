/** One user's daily image quota: what they used today, and an override (or the default). */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorNotice } from "@/components/ErrorNotice";
import { adminKeys, getQuota, setQuota } from "../api/admin";

export function QuotaEditor({ userId, email }: { userId: string; email: string }) {
  const { t } = useTranslation("admin");
  const id = useId();
  const client = useQueryClient();
  const quota = useQuery({ queryKey: adminKeys.quota(userId), queryFn: () => getQuota(userId) });
  const [value, setValue] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (limit: number | null) => setQuota(userId, limit),
    onSuccess: (saved) => {
      client.setQueryData(adminKeys.quota(userId), saved);
      setValue(null);
    },
  });
  const shown = value ?? (quota.data ? String(quota.data.daily_limit) : "");
  const number = /^\d+$/.test(shown) ? Number(shown) : null;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (number !== null) save.mutate(number);
  }

  return (
    <form className="quota-editor" onSubmit={submit} aria-label={t("quota.label", { email })}>
      <ErrorNotice error={quota.error} />
      {quota.data && (
        <p className="small">
          {t("quota.used", { used: quota.data.used_today, limit: quota.data.daily_limit })}{" "}
          {quota.data.overridden ? t("quota.overridden") : t("quota.default")}
        </p>
      )}
      <div className="quota-row">
        <label htmlFor={`${id}-limit`}>{t("quota.dailyLimit")}</label>
        <input
          id={`${id}-limit`}
          type="number"
          min={0}
          max={100000}
          inputMode="numeric"
          value={shown}
          onChange={(event) => setValue(event.target.value)}
        />
        <button type="submit" disabled={number === null || save.isPending}>
          {t("quota.save")}
        </button>
        {quota.data?.overridden && (
          <button
            type="button"
            className="button-quiet"
            onClick={() => save.mutate(null)}
            disabled={save.isPending}
          >
            {t("quota.reset")}
          </button>
        )}
      </div>
      <ErrorNotice error={save.error} />
      {save.isSuccess && (
        <p className="success-text" role="status">
          {t("quota.saved")}
        </p>
      )}
    </form>
  );
}
