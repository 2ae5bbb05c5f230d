// My address: choose it among the commune's addresses (BAN), send a proof,
// follow the verification, withdraw it; then the referent question.
import { useState } from 'react';
import { Link } from 'react-router';
import {
  ComboBox,
  Form,
  Input,
  Label,
  ListBox,
  ListBoxItem,
  Popover,
  Text,
  FieldError,
} from 'react-aria-components';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../shell/graphql.js';
import { Page, Loading } from '../shell/page.js';
import { useI18n } from '../shell/i18n.js';
import { useErrorMessage } from '../shell/forms.js';
import { csrfHeaders } from '../shell/client.js';
import { Button, ErrorSummary, Notice, RadioGroup, fieldId } from '../ds/index.js';
import { MAX_PROOF_BYTES, PROOF_TYPES, uprightImage } from './proof-image.js';

const ResidenceDocument = graphql(`
  query MyResidence {
    myResidence {
      id
      status
      addressLabel
      sectorName
      submittedAt
      decidedAt
      decisionReasonLabel
      decisionComment
      escalated
    }
    myReferentCandidacy {
      wanted
      status
      community {
        id
        name
      }
    }
  }
`);
const SearchDocument = graphql(`
  query SearchAddresses($query: String!) {
    searchAddresses(query: $query, limit: 8) {
      id
      label
      postcode
      city
    }
  }
`);
const WithdrawDocument = graphql(`
  mutation WithdrawVerification {
    withdrawVerification {
      id
      status
    }
  }
`);
const CandidacyDocument = graphql(`
  mutation SetReferentCandidacy($wanted: Boolean!) {
    setReferentCandidacy(wanted: $wanted) {
      wanted
      status
    }
  }
`);

function StatusNotice({ r }: { r: NonNullable<ReturnType<typeof useResidence>['residence']> }) {
  const { t, formatDate } = useI18n();
  const kind =
    r.status === 'active'
      ? 'success'
      : r.status === 'rejected'
        ? 'error'
        : r.status === 'pending'
          ? 'info'
          : 'warning';
  return (
    <Notice kind={kind} role="status">
      <p>
        <strong>{t(`residence.status.${r.status}`)}</strong>
      </p>
      <p>{r.addressLabel}</p>
      {r.sectorName ? <p>{t('residence.sector', { sector: r.sectorName })}</p> : null}
      {r.submittedAt ? (
        <p className="meta">{t('residence.submittedAt', { date: formatDate(r.submittedAt) })}</p>
      ) : null}
      {r.status === 'pending' ? (
        <p>{t(r.escalated ? 'residence.pendingEscalated' : 'residence.pendingHelp')}</p>
      ) : null}
      {r.status === 'rejected' ? (
        <p>
          {t('residence.rejectedBecause', { reason: r.decisionReasonLabel ?? '' })}
          {r.decisionComment ? ` ${r.decisionComment}` : ''}
        </p>
      ) : null}
    </Notice>
  );
}

function useResidence() {
  const [{ data, fetching }, reload] = useQuery({ query: ResidenceDocument, requestPolicy: 'network-only' });
  return {
    residence: data?.myResidence ?? null,
    candidacy: data?.myReferentCandidacy,
    fetching,
    data,
    reload,
  };
}

export default function ResidencePage() {
  const { t } = useI18n();
  const { residence, candidacy, data, reload } = useResidence();
  const [, withdraw] = useMutation(WithdrawDocument);
  const [, setCandidacy] = useMutation(CandidacyDocument);
  const errorMessage = useErrorMessage();
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (!data) return <Loading />;
  const canSubmit = !residence || ['rejected', 'withdrawn', 'expired', 'ended'].includes(residence.status);

  return (
    <Page title={t('residence.title')} intro={<p>{t('residence.intro')}</p>}>
      {message ? (
        <Notice kind="success" role="status">
          <p>{message}</p>
        </Notice>
      ) : null}
      {error ? (
        <Notice kind="error" role="alert">
          <p>{error}</p>
        </Notice>
      ) : null}
      {residence ? <StatusNotice r={residence} /> : null}
      {residence?.status === 'pending' ? (
        <Button
          variant="secondary"
          onPress={() => {
            void withdraw({}).then((r) => {
              if (r.error) setError(errorMessage(r.error) ?? '');
              else {
                setMessage(t('residence.withdrawn'));
                reload({ requestPolicy: 'network-only' });
              }
            });
          }}
        >
          {t('residence.withdraw')}
        </Button>
      ) : null}
      {canSubmit ? (
        <ProofForm
          onDone={() => {
            setMessage(t('residence.sent'));
            reload({ requestPolicy: 'network-only' });
          }}
        />
      ) : null}
      {candidacy ? (
        <section className="card" aria-labelledby="referent-title">
          <h2 id="referent-title">{t('residence.referentQuestion')}</h2>
          <p>{t('residence.referentHelp')}</p>
          <RadioGroup
            name="referent"
            label={t('residence.referentQuestion')}
            value={candidacy.wanted ? 'yes' : 'no'}
            onChange={(v) => {
              void setCandidacy({ wanted: v === 'yes' }).then((r) => {
                if (r.error) setError(errorMessage(r.error) ?? '');
                else {
                  setMessage(t(v === 'yes' ? 'residence.referentYes' : 'residence.referentNo'));
                  reload({ requestPolicy: 'network-only' });
                }
              });
            }}
            options={[
              { value: 'yes', label: t('common.yes') },
              { value: 'no', label: t('common.no') },
            ]}
          />
        </section>
      ) : null}
      {residence?.status === 'active' ? (
        <p>
          <Link to="/communaute">{t('residence.toCommunity')}</Link>
        </p>
      ) : null}
    </Page>
  );
}

function ProofForm({ onDone }: { onDone(): void }) {
  const { t } = useI18n();
  const [query, setQuery] = useState('');
  const [addressId, setAddressId] = useState<string | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [errors, setErrors] = useState<Array<{ field?: string; message: string }>>([]);
  const [sending, setSending] = useState(false);
  const [{ data }] = useQuery({
    query: SearchDocument,
    variables: { query },
    pause: query.trim().length < 3,
  });
  const items = query.trim().length >= 3 ? (data?.searchAddresses ?? []) : [];

  const submit = async () => {
    const errs: Array<{ field?: string; message: string }> = [];
    if (!addressId) errs.push({ field: 'address', message: t('residence.addressMissing') });
    if (!file) errs.push({ field: 'proof', message: t('residence.proofMissing') });
    else if (!(PROOF_TYPES as readonly string[]).includes(file.type))
      errs.push({ field: 'proof', message: t('residence.proofType') });
    else if (file.size > MAX_PROOF_BYTES) errs.push({ field: 'proof', message: t('residence.proofSize') });
    setErrors(errs);
    if (errs.length || !file || !addressId) return;
    setSending(true);
    try {
      const body = new FormData();
      body.append('addressId', addressId);
      const upright = await uprightImage(file);
      body.append('file', upright, file.name.replace(/\.(jpe?g)$/i, '.jpg'));
      const res = await fetch('/residents/proof', {
        method: 'POST',
        body,
        credentials: 'same-origin',
        headers: csrfHeaders(),
      });
      if (!res.ok) {
        const j = (await res.json().catch(() => ({}))) as { code?: string; message?: string };
        const key = `error.${j.code}`;
        const msg = t(key) !== key ? t(key) : (j.message ?? t('error.NETWORK'));
        setErrors([
          {
            field: j.code?.startsWith('PROOF')
              ? 'proof'
              : j.code?.startsWith('ADDRESS')
                ? 'address'
                : undefined,
            message: msg,
          },
        ]);
        return;
      }
      onDone();
    } catch {
      setErrors([{ message: t('error.NETWORK') }]);
    } finally {
      setSending(false);
    }
  };

  return (
    <section aria-labelledby="proof-title">
      <h2 id="proof-title">{t('residence.formTitle')}</h2>
      <ErrorSummary title={t('form.errorsTitle')} errors={errors} />
      <Form
        validationBehavior="aria"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <ComboBox
          className="field"
          items={items}
          inputValue={query}
          onInputChange={(v) => {
            setQuery(v);
            setAddressId(null);
          }}
          onSelectionChange={(key) => {
            const hit = items.find((i) => i.id === key);
            if (hit) {
              setAddressId(hit.id);
              setQuery(hit.label);
            }
          }}
          menuTrigger="input"
          allowsEmptyCollection
          isInvalid={errors.some((e) => e.field === 'address')}
          isRequired
          validationBehavior="aria"
        >
          <Label>{t('residence.address')}</Label>
          <Text slot="description" className="hint">
            {t('residence.addressHint')}
          </Text>
          <Input id={fieldId('address')} />
          <FieldError className="field-error">
            {errors.find((e) => e.field === 'address')?.message}
          </FieldError>
          <Popover className="popover">
            <ListBox
              className="listbox"
              renderEmptyState={() => <p className="meta">{t('residence.noAddress')}</p>}
            >
              {(item: (typeof items)[number]) => (
                <ListBoxItem id={item.id} textValue={item.label}>
                  {item.label}
                </ListBoxItem>
              )}
            </ListBox>
          </Popover>
        </ComboBox>
        <div className="field">
          <label htmlFor={fieldId('proof')}>{t('residence.proof')}</label>
          <p className="hint" id="proof-hint">
            {t('residence.proofHint')}
          </p>
          <input
            id={fieldId('proof')}
            type="file"
            accept=".jpg,.jpeg,.png,.pdf,image/jpeg,image/png,application/pdf"
            aria-describedby={`proof-hint${errors.some((e) => e.field === 'proof') ? ' proof-error' : ''}`}
            aria-invalid={errors.some((e) => e.field === 'proof') || undefined}
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
          {errors.some((e) => e.field === 'proof') ? (
            <p className="field-error" id="proof-error">
              {errors.find((e) => e.field === 'proof')?.message}
            </p>
          ) : null}
        </div>
        <Button type="submit" isDisabled={sending}>
          {sending ? t('residence.sending') : t('residence.submit')}
        </Button>
      </Form>
    </section>
  );
}
