// The design system: a few accessible components on react-aria-components,
// styled by styles.css with the commune's colours. Pages use these, not raw
// inputs, so that labels, hints, errors and focus behave the same everywhere.
import {
  Button as AriaButton,
  Checkbox as AriaCheckbox,
  Input,
  Label,
  Radio as AriaRadio,
  RadioGroup as AriaRadioGroup,
  Text,
  TextArea as AriaTextArea,
  TextField as AriaTextField,
  type ButtonProps,
} from 'react-aria-components';
import { Suspense, lazy, useEffect, useId, useRef, type ReactNode } from 'react';

export function Button(props: ButtonProps & { variant?: 'primary' | 'secondary' | 'danger' | 'quiet' }) {
  const { variant = 'primary', className, ...rest } = props;
  return (
    <AriaButton
      {...rest}
      className={`btn ${variant === 'primary' ? '' : variant} ${className ?? ''}`.trim()}
    />
  );
}

interface FieldProps {
  name: string;
  label: string;
  hint?: string;
  error?: string;
  value: string;
  onChange(value: string): void;
  type?: 'text' | 'email' | 'password' | 'tel' | 'search' | 'datetime-local' | 'time' | 'date';
  autoComplete?: string;
  required?: boolean;
  maxLength?: number;
  inputMode?: 'numeric' | 'text' | 'tel' | 'email';
  autoFocus?: boolean;
}

/** A labelled text input or text area; its error is next to it and in the form's summary. */
function Field(p: FieldProps & { multiline?: boolean }) {
  return (
    <AriaTextField
      className="field"
      name={p.name}
      value={p.value}
      onChange={p.onChange}
      type={p.multiline ? undefined : (p.type ?? 'text')}
      isRequired={p.required}
      isInvalid={!!p.error}
      autoComplete={p.autoComplete}
      maxLength={p.maxLength}
      inputMode={p.inputMode}
      autoFocus={p.autoFocus}
      validationBehavior="aria"
    >
      <Label>
        {p.label}
        {p.required ? <span aria-hidden="true"> *</span> : null}
      </Label>
      {p.hint ? (
        <Text slot="description" className="hint">
          {p.hint}
        </Text>
      ) : null}
      {p.multiline ? <AriaTextArea id={fieldId(p.name)} /> : <Input id={fieldId(p.name)} />}
      {p.error ? (
        <Text slot="errorMessage" className="field-error">
          {p.error}
        </Text>
      ) : null}
    </AriaTextField>
  );
}

export function TextField(p: FieldProps) {
  return <Field {...p} />;
}

export function TextArea(p: Omit<FieldProps, 'type' | 'autoComplete' | 'inputMode'>) {
  return <Field {...p} multiline />;
}

export function Checkbox(p: {
  children: ReactNode;
  isSelected: boolean;
  onChange(v: boolean): void;
  name?: string;
}) {
  return (
    <AriaCheckbox className="checkbox" isSelected={p.isSelected} onChange={p.onChange} name={p.name}>
      <span className="box" aria-hidden="true" />
      <span>{p.children}</span>
    </AriaCheckbox>
  );
}

export function RadioGroup(p: {
  name: string;
  label: string;
  hint?: string;
  error?: string;
  value: string;
  onChange(v: string): void;
  options: Array<{ value: string; label: ReactNode }>;
  required?: boolean;
}) {
  return (
    <AriaRadioGroup
      className="field"
      name={p.name}
      // No choice yet is null: an empty string would match no radio and take them all out of the Tab order.
      value={p.value || null}
      onChange={p.onChange}
      isRequired={p.required}
      isInvalid={!!p.error}
      validationBehavior="aria"
      id={fieldId(p.name)}
    >
      <Label className="label">{p.label}</Label>
      {p.hint ? (
        <Text slot="description" className="hint">
          {p.hint}
        </Text>
      ) : null}
      {p.options.map((o) => (
        <AriaRadio key={o.value} value={o.value} className="radio">
          <span className="dot" aria-hidden="true" />
          <span>{o.label}</span>
        </AriaRadio>
      ))}
      {p.error ? (
        <Text slot="errorMessage" className="field-error">
          {p.error}
        </Text>
      ) : null}
    </AriaRadioGroup>
  );
}

export function fieldId(name: string): string {
  return `field-${name}`;
}

export function Notice(p: {
  kind?: 'info' | 'error' | 'success' | 'warning';
  children: ReactNode;
  role?: 'status' | 'alert';
}) {
  return (
    <div className={`notice ${p.kind ?? 'info'}`} role={p.role}>
      {p.children}
    </div>
  );
}

/** The list of a form's errors, focused when it appears, each linking to its field. */
export function ErrorSummary(p: { title: string; errors: Array<{ field?: string; message: string }> }) {
  const ref = useRef<HTMLDivElement>(null);
  const headingId = useId();
  const key = p.errors.map((e) => `${e.field}:${e.message}`).join('|');
  useEffect(() => {
    if (p.errors.length) ref.current?.focus();
  }, [key, p.errors.length]);
  if (!p.errors.length) return null;
  return (
    <div className="error-summary" tabIndex={-1} ref={ref} role="alert" aria-labelledby={headingId}>
      <h2 id={headingId}>{p.title}</h2>
      <ul>
        {p.errors.map((e, i) => (
          <li key={i}>
            {e.field ? (
              <a
                href={`#${fieldId(e.field)}`}
                onClick={(ev) => {
                  ev.preventDefault();
                  const el = document.getElementById(fieldId(e.field!));
                  const target = el?.matches('input,textarea,select')
                    ? el
                    : el?.querySelector('input,textarea,select');
                  (target as HTMLElement | null)?.focus();
                }}
              >
                {e.message}
              </a>
            ) : (
              e.message
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Icons drawn inline (no icon font, no emoji font needed), hidden from screen readers: the text says it. */
export function Icon(p: { name: 'urgent' | 'important' | 'info' | 'bell' }) {
  const paths: Record<typeof p.name, ReactNode> = {
    urgent: (
      <>
        <path d="M8 1.5 15 14.5H1z" fill="currentColor" />
        <path d="M8 6v4M8 11.6v1" stroke="#fff" strokeWidth="1.6" strokeLinecap="round" />
      </>
    ),
    important: (
      <>
        <circle cx="8" cy="8" r="7" fill="currentColor" />
        <path d="M8 4v5M8 11v1" stroke="#fff" strokeWidth="1.8" strokeLinecap="round" />
      </>
    ),
    info: (
      <>
        <circle cx="8" cy="8" r="7" fill="currentColor" />
        <path d="M8 7v5M8 4.2v.6" stroke="#fff" strokeWidth="1.8" strokeLinecap="round" />
      </>
    ),
    bell: (
      <path
        d="M8 1.5a4.5 4.5 0 0 0-4.5 4.5v3L2 11.5h12L12.5 9V6A4.5 4.5 0 0 0 8 1.5zM6.3 13a1.8 1.8 0 0 0 3.4 0z"
        fill="currentColor"
      />
    ),
  };
  return (
    <svg className="icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
      {paths[p.name]}
    </svg>
  );
}

export function SeverityBadge(p: { severity: string; label: string }) {
  const name = p.severity === 'urgent' ? 'urgent' : p.severity === 'important' ? 'important' : 'info';
  return (
    <span className={`badge ${p.severity}`}>
      <Icon name={name} />
      {p.label}
    </span>
  );
}

type ConfirmDialogProps = {
  isOpen: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  cancelLabel: string;
  onConfirm(): void;
  onCancel(): void;
  danger?: boolean;
};
// react-aria's overlays (focus scope, scroll lock, dismissal) load with the first dialog opened.
const LazyConfirmDialog = lazy(() => import('./dialog.js'));

/** A modal confirmation: the question, what will happen, confirm or cancel. */
export function ConfirmDialog(p: ConfirmDialogProps) {
  if (!p.isOpen) return null;
  return (
    <Suspense fallback={null}>
      <LazyConfirmDialog {...p} />
    </Suspense>
  );
}
