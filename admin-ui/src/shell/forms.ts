// Form state with the errors a page shows next to each field and in a summary.
// A server error is shown in the catalogue's words when the catalogue has the
// code (`error.<CODE>`, its placeholders filled from the error's details), else
// in the server's own localised message.
import { useCallback, useState } from 'react';
import type { CombinedError } from '@urql/core';
import { useI18n } from './i18n.js';
import { errorCode, errorDetails } from './client.js';

export interface FormError {
  field?: string;
  message: string;
}

export function useErrorMessage(): (err: CombinedError | undefined) => string | undefined {
  const { t } = useI18n();
  return useCallback(
    (err) => {
      if (!err) return undefined;
      const code = errorCode(err);
      const key = `error.${code}`;
      // The error's details fill the catalogue's placeholders: "{perHour} alerts per hour".
      const vars = Object.fromEntries(
        Object.entries(errorDetails(err) ?? {}).filter(
          (e): e is [string, string | number] => typeof e[1] === 'string' || typeof e[1] === 'number',
        ),
      );
      const mine = t(key, vars);
      if (mine !== key) return mine;
      return err.graphQLErrors[0]?.message ?? t('error.NETWORK');
    },
    [t],
  );
}

export function useForm<T extends Record<string, unknown>>(initial: T) {
  const [values, setValues] = useState<T>(initial);
  const [errors, setErrors] = useState<FormError[]>([]);
  const errorMessage = useErrorMessage();
  const set = useCallback(
    <K extends keyof T>(k: K) =>
      (v: T[K]) =>
        setValues((s) => ({ ...s, [k]: v })),
    [],
  );
  const fieldError = (name: string) => errors.find((e) => e.field === name)?.message;
  /** Maps a server error to a field: by the code (fieldOf) or the details' field. */
  const serverError = (err: CombinedError | undefined, fieldOf: Record<string, string> = {}) => {
    if (!err) return false;
    const code = errorCode(err) ?? '';
    const details = errorDetails(err);
    const detailField =
      typeof details?.field === 'string' ? details.field.replace(/^\//, '').split('/').pop() : undefined;
    const field =
      fieldOf[code] ??
      Object.entries(fieldOf).find(([c]) => c.endsWith('*') && code.startsWith(c.slice(0, -1)))?.[1] ??
      detailField;
    setErrors([{ field, message: errorMessage(err) ?? code }]);
    return true;
  };
  return { values, setValues, set, errors, setErrors, fieldError, serverError };
}
