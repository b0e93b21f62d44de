/**
 * The "Embed this view" panel: which controls to hide, which host may talk to the embed, and the
 * iframe snippet. Its own module, loaded when the panel first opens: the embed parameters, the
 * share-URL hook and the snippet are not part of the page's first load.
 */
import { useRef, useState, type KeyboardEvent } from 'react';
import { viewLabel } from '../app/views';
import { useLab } from '../store/context';
import type { ThemeChoice } from '../store/types';
import { useShareUrl } from './EmbedApp';
import { controlsOf, MAX_ORIGINS, parseOrigin, THEME_CHOICES, type EmbedControl } from './embedParams';
import { notTraining } from './refusals';
import { iframeSnippet } from './snippet';

/** The origins typed in the box: valid ones, and the first one that is not an origin. */
function readOrigins(text: string): { origins: string[]; bad: string | null } {
  const origins: string[] = [];
  for (const item of text
    .split(/[\s,]+/)
    .filter(Boolean)
    .slice(0, MAX_ORIGINS)) {
    const origin = parseOrigin(item);
    if (origin === null) return { origins, bad: item.slice(0, 60) };
    if (!origins.includes(origin)) origins.push(origin);
  }
  return { origins, bad: null };
}

interface HideControlsProps {
  readonly controls: readonly EmbedControl[];
  readonly hidden: ReadonlySet<string>;
  readonly onToggle: (name: string, on: boolean) => void;
}

function HideControls({ controls, hidden, onToggle }: HideControlsProps) {
  return (
    <fieldset className="embed-hide">
      <legend>Hide controls</legend>
      {controls.map((c) => (
        <label key={c.name} className="checkbox">
          <input
            type="checkbox"
            data-testid={`embed.hide-${c.name}`}
            checked={hidden.has(c.name)}
            onChange={(event) => onToggle(c.name, event.target.checked)}
          />
          {c.label}
        </label>
      ))}
    </fieldset>
  );
}

interface OriginsFieldProps {
  /** The panel's id, from which the field's ids are made. */
  readonly id: string;
  readonly value: string;
  readonly invalid: boolean;
  readonly onChange: (text: string) => void;
}

function OriginsField({ id, value, invalid, onChange }: OriginsFieldProps) {
  return (
    <div className="field">
      <label htmlFor={`${id}-origins`}>Course page origin (optional, recommended)</label>
      <input
        id={`${id}-origins`}
        className="wide-input"
        data-testid="embed.origins"
        type="text"
        inputMode="url"
        placeholder="https://course.example"
        value={value}
        aria-describedby={`${id}-origins-help`}
        aria-invalid={invalid}
        onChange={(event) => onChange(event.target.value)}
      />
      <span id={`${id}-origins-help`} className="muted">
        Only pages from these origins may drive the embed with postMessage, and only they receive its state
        (which includes the sentences).
      </span>
    </div>
  );
}

const THEME_LABELS: Readonly<Record<ThemeChoice, string>> = {
  auto: 'Follow the reader’s system',
  light: 'Light',
  dark: 'Dark',
};

interface ThemeFieldsProps {
  readonly id: string;
  readonly theme: ThemeChoice;
  readonly transparent: boolean;
  readonly onTheme: (theme: ThemeChoice) => void;
  readonly onTransparent: (on: boolean) => void;
}

/** The embed's colours: a theme (or the system's), and whether the course page's colour shows through. */
function ThemeFields({ id, theme, transparent, onTheme, onTransparent }: ThemeFieldsProps) {
  return (
    <div className="button-row embed-theme">
      <div className="field field-inline">
        <label htmlFor={`${id}-theme`}>Theme</label>
        <select
          id={`${id}-theme`}
          data-testid="embed.theme"
          value={theme}
          onChange={(event) => onTheme(THEME_CHOICES.find((t) => t === event.target.value) ?? 'auto')}
        >
          {THEME_CHOICES.map((t) => (
            <option key={t} value={t}>
              {THEME_LABELS[t]}
            </option>
          ))}
        </select>
      </div>
      <label className="checkbox">
        <input
          type="checkbox"
          data-testid="embed.transparent"
          checked={transparent}
          onChange={(event) => onTransparent(event.target.checked)}
        />
        Transparent background (the course page&rsquo;s colour shows through)
      </label>
    </div>
  );
}

/** The snippet panel: which controls to hide, which host may talk to the embed, and the code. */
export function EmbedPanel({ id, onClose }: { id: string; onClose: () => void }) {
  const view = useLab((s) => s.view);
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const [originsText, setOriginsText] = useState('');
  const [theme, setTheme] = useState<ThemeChoice>('auto');
  const [transparent, setTransparent] = useState(false);
  const [copied, setCopied] = useState('');
  const snippetRef = useRef<HTMLTextAreaElement>(null);
  const controls = controlsOf(view);
  const hide = controls.map((c) => c.name).filter((name) => hidden.has(name));
  const { origins, bad } = readOrigins(originsText);
  const extra: Record<string, string> = { embed: view };
  if (hide.length) extra.hide = hide.join(',');
  if (origins.length) extra.origins = origins.join(',');
  if (theme !== 'auto') extra.theme = theme;
  if (transparent) extra.background = 'transparent';
  const { href, error } = useShareUrl(
    new URL(window.location.pathname, window.location.origin).href,
    extra,
    // A view that does not train would start a Worker for a recipe it never shows.
    notTraining(view) !== null,
  );
  const snippet = iframeSnippet(href, view, transparent ? { transparentIn: theme } : {});

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(snippet);
      setCopied('Copied. Paste it into your course page.');
    } catch {
      snippetRef.current?.select();
      setCopied('The browser did not allow copying: the snippet is selected, press Ctrl+C (⌘C on a Mac).');
    }
  };
  const toggle = (name: string, on: boolean) =>
    setHidden((previous) => {
      const next = new Set(previous);
      if (on) next.add(name);
      else next.delete(name);
      return next;
    });

  return (
    <section
      id={id}
      className="panel embed-panel"
      aria-labelledby={`${id}-title`}
      data-testid="embed.panel"
      onKeyDown={(event: KeyboardEvent) => event.key === 'Escape' && onClose()}
    >
      <h2 id={`${id}-title`}>Embed the {viewLabel(view)} view</h2>
      <p className="muted">
        Paste this into a course page. It shows this view alone, with what is on show now: your sentences,
        your settings and, if you trained, the model at the same step.
      </p>
      {controls.length > 0 && <HideControls controls={controls} hidden={hidden} onToggle={toggle} />}
      <OriginsField id={id} value={originsText} invalid={bad !== null} onChange={setOriginsText} />
      <ThemeFields
        id={id}
        theme={theme}
        transparent={transparent}
        onTheme={setTheme}
        onTransparent={setTransparent}
      />
      {bad !== null && (
        <p className="message error" role="alert" data-testid="embed.origins-error">
          {`“${bad}” is not an origin such as https://course.example; it was left out.`}
        </p>
      )}
      {error !== null && (
        <p className="message warn" role="status" data-testid="embed.error">
          {error} The snippet below opens the lab with its default state.
        </p>
      )}
      <div className="field">
        <label htmlFor={`${id}-snippet`}>HTML snippet</label>
        <textarea
          id={`${id}-snippet`}
          ref={snippetRef}
          className="embed-snippet"
          data-testid="embed.snippet"
          readOnly
          rows={5}
          spellCheck={false}
          value={snippet}
          onFocus={(event) => event.target.select()}
        />
      </div>
      <div className="button-row">
        <button type="button" data-testid="embed.copy" onClick={() => void copy()}>
          Copy snippet
        </button>
        <a href={href} target="_blank" rel="noopener" data-testid="embed.preview">
          Preview the embed<span className="sr-only"> (opens a new tab)</span>
        </a>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      <p role="status" className="muted" data-testid="embed.copied">
        {copied}
      </p>
    </section>
  );
}
