import { api, replaceAccessToken, type User, unwrap, updateUser } from "@/lib/api";
import type { components } from "@/lib/api/schema";

export async function updateProfile(changes: {
  display_name?: string | null;
  locale?: "ru" | "en";
}): Promise<User> {
  const user = await unwrap(api.PATCH("/auth/me", { body: changes }));
  updateUser(user);
  return user;
}

/** The server ends every other session and hands this one a new access token. */
export async function changePassword(body: {
  current_password: string;
  new_password: string;
}): Promise<void> {
  const answer = await unwrap(api.POST("/auth/password", { body }));
  replaceAccessToken(answer.access_token);
}

export type IllustrationSettings = components["schemas"]["IllustrationSettings"];
export type IllustrationSettingsUpdate = components["schemas"]["PreferencesUpdate"];

export const illustrationSettingsKey = ["settings", "illustrations"] as const;

export function getIllustrationSettings(): Promise<IllustrationSettings> {
  return unwrap(api.GET("/settings/illustrations"));
}

export function updateIllustrationSettings(
  changes: IllustrationSettingsUpdate,
): Promise<IllustrationSettings> {
  return unwrap(api.PATCH("/settings/illustrations", { body: changes }));
}

export type AppPassword = components["schemas"]["AppPassword"];
export type CreatedAppPassword = components["schemas"]["CreatedAppPassword"];
export type AppPasswordScope = AppPassword["scopes"][number];

export const appPasswordsKey = ["account", "app-passwords"] as const;

export async function listAppPasswords(): Promise<AppPassword[]> {
  return (await unwrap(api.GET("/account/app-passwords"))).items;
}

export function createAppPassword(body: {
  name: string;
  scopes: AppPasswordScope[];
}): Promise<CreatedAppPassword> {
  return unwrap(api.POST("/account/app-passwords", { body }));
}

export async function revokeAppPassword(id: string): Promise<void> {
  await unwrap(
    api.DELETE("/account/app-passwords/{app_password_id}", {
      params: { path: { app_password_id: id } },
    }),
  );
}
