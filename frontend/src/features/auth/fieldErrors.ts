/** Which form field an API error belongs to, worded for the user. */
import type { TFunction } from "i18next";
import { ApiError } from "@/lib/api";

export type FieldName = "email" | "password" | "display_name" | "current_password" | "new_password";

// Errors that the API reports for the whole request but that clearly concern one field.
const FIELD_OF_CODE: Record<string, FieldName> = {
  email_taken: "email",
  email_invalid: "email",
  password_weak: "password",
};

export function fieldErrors(
  error: unknown,
  t: TFunction,
  passwordField: FieldName = "password",
): Partial<Record<FieldName, string>> {
  if (!(error instanceof ApiError)) return {};
  const known = FIELD_OF_CODE[error.code];
  if (known) {
    const field = known === "password" ? passwordField : known;
    const reason = typeof error.details.reason === "string" ? error.details.reason : "";
    // A reason (why the password is weak, what is wrong with the email) has its own wording;
    // a reason this version does not know yet shows the server's own message.
    const key = reason ? `fieldErrors.${error.code}_${reason}` : `fieldErrors.${error.code}`;
    return { [field]: t(key, { defaultValue: error.message }) };
  }
  const result: Partial<Record<FieldName, string>> = {};
  for (const [name, problem] of Object.entries(error.fields)) {
    result[name as FieldName] = problem;
  }
  return result;
}
