/** A labelled text input with its inline error: the label, `aria-invalid` and
 * `aria-describedby` wired once, so a screen reader hears the problem with the field. */
import { type InputHTMLAttributes, useId } from "react";

type TextFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "onChange"> & {
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** The field's problem, shown under it; nothing when the value is fine. */
  error?: string | null;
};

export function TextField({ label, value, onChange, error, ...input }: TextFieldProps) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        {...input}
        id={id}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
