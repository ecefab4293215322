/** Theme, typography and layout; every change applies at once (the page saves it). */
import { useId } from "react";
import { useTranslation } from "react-i18next";
import {
  clampPreference,
  FONT_FAMILIES,
  fontStack,
  LAYOUTS,
  LIMITS,
  type ReaderPreferences,
  TEXT_ALIGNS,
  THEMES,
} from "../preferences/preferences";
import type { IllustrationSettings, IllustrationSettingsChange } from "../api/passages";
import { IllustrationSettingsSection } from "./IllustrationSettingsSection";
import { ReaderDialog } from "./ReaderDialog";

type Props = {
  open: boolean;
  preferences: ReaderPreferences;
  language: string | null;
  /** Whether this browser hyphenates the book's language (justified text needs it). */
  hyphenates?: boolean;
  saveFailed: boolean;
  onChange: (changes: Partial<ReaderPreferences>) => void;
  onClose: () => void;
  illustrations: IllustrationSettings | undefined;
  illustrationsSaveFailed: boolean;
  onIllustrationsChange: (change: IllustrationSettingsChange) => void;
};

export function SettingsPanel({
  open,
  preferences,
  language,
  hyphenates = true,
  saveFailed,
  onChange,
  onClose,
  illustrations,
  illustrationsSaveFailed,
  onIllustrationsChange,
}: Props) {
  const { t } = useTranslation("reader");
  return (
    <ReaderDialog open={open} title={t("settings")} variant="drawer-end" onClose={onClose}>
      <div className="settings">
        <Choice
          legend={t("prefs.theme")}
          name="theme"
          values={THEMES}
          value={preferences.theme}
          label={(theme) => t(`prefs.themes.${theme}`)}
          swatch={(theme) => (
            <span className={`theme-swatch theme-swatch-${theme}`} aria-hidden="true" />
          )}
          onChange={(theme) => onChange({ theme })}
        />
        <Choice
          legend={t("prefs.font")}
          name="font"
          values={FONT_FAMILIES}
          value={preferences.font_family}
          label={(family) => t(`prefs.fonts.${family}`)}
          fontOf={(family) => fontStack(family, language)}
          onChange={(font_family) => onChange({ font_family })}
        />
        <FontSize value={preferences.font_size} onChange={(font_size) => onChange({ font_size })} />
        <Slider
          label={t("prefs.lineHeight")}
          name="line_height"
          value={preferences.line_height}
          format={(value) => value.toFixed(1)}
          onChange={(line_height) => onChange({ line_height })}
        />
        <Slider
          label={t("prefs.margin")}
          name="margin"
          value={preferences.margin}
          format={String}
          onChange={(margin) => onChange({ margin })}
        />
        <Choice
          legend={t("prefs.align")}
          name="align"
          values={TEXT_ALIGNS}
          value={preferences.text_align}
          label={(align) => t(`prefs.aligns.${align}`)}
          hint={hyphenates ? undefined : t("prefs.noHyphenation")}
          onChange={(text_align) => onChange({ text_align })}
        />
        <Choice
          legend={t("prefs.layout")}
          name="layout"
          values={LAYOUTS}
          value={preferences.layout}
          label={(layout) => t(`prefs.layouts.${layout}`)}
          onChange={(layout) => onChange({ layout })}
        />
        <IllustrationSettingsSection
          showMarks={preferences.show_marks}
          showPictures={preferences.show_illustrations}
          onReaderChange={onChange}
          settings={illustrations}
          saveFailed={illustrationsSaveFailed}
          onSettingsChange={onIllustrationsChange}
        />
        {saveFailed ? (
          <p className="error-text" role="status">
            {t("saveFailed")}
          </p>
        ) : null}
      </div>
    </ReaderDialog>
  );
}

function Choice<T extends string>(props: {
  legend: string;
  name: string;
  values: readonly T[];
  value: T;
  label: (value: T) => string;
  swatch?: (value: T) => React.ReactNode;
  fontOf?: (value: T) => string;
  /** Said under the choices and read with the group. */
  hint?: string;
  onChange: (value: T) => void;
}) {
  const id = useId();
  const name = `${id}-${props.name}`;
  const hintId = `${id}-hint`;
  return (
    <fieldset className="settings-group" aria-describedby={props.hint ? hintId : undefined}>
      <legend>{props.legend}</legend>
      <div className="segmented">
        {props.values.map((value) => (
          <label key={value} className="segment">
            <input
              type="radio"
              name={name}
              value={value}
              checked={props.value === value}
              onChange={() => props.onChange(value)}
            />
            <span style={props.fontOf ? { fontFamily: props.fontOf(value) } : undefined}>
              {props.swatch?.(value)}
              {props.label(value)}
            </span>
          </label>
        ))}
      </div>
      {props.hint ? (
        <p id={hintId} className="muted settings-hint">
          {props.hint}
        </p>
      ) : null}
    </fieldset>
  );
}

function FontSize({ value, onChange }: { value: number; onChange: (value: number) => void }) {
  const { t } = useTranslation("reader");
  const { min, max } = LIMITS.font_size;
  const id = useId();
  return (
    <div className="settings-group">
      <span className="settings-label" id={id}>
        {t("prefs.fontSize")}
      </span>
      <div className="stepper" role="group" aria-labelledby={id}>
        <button
          type="button"
          onClick={() => onChange(clampPreference("font_size", value - 1))}
          disabled={value <= min}
          aria-label={t("prefs.smaller")}
        >
          A−
        </button>
        <output aria-live="polite">{value}</output>
        <button
          type="button"
          onClick={() => onChange(clampPreference("font_size", value + 1))}
          disabled={value >= max}
          aria-label={t("prefs.larger")}
        >
          A+
        </button>
      </div>
    </div>
  );
}

function Slider(props: {
  label: string;
  name: "line_height" | "margin";
  value: number;
  format: (value: number) => string;
  onChange: (value: number) => void;
}) {
  const id = useId();
  const { min, max, step } = LIMITS[props.name];
  return (
    <div className="settings-group">
      <label className="settings-label" htmlFor={id}>
        {props.label} <span className="muted">{props.format(props.value)}</span>
      </label>
      <input
        id={id}
        type="range"
        min={min}
        max={max}
        step={step}
        value={props.value}
        onChange={(event) =>
          props.onChange(clampPreference(props.name, Number(event.currentTarget.value)))
        }
      />
    </div>
  );
}
