// My data (RGPD): the export (JSON for machines, HTML for people) and the
// deletion of the account, with the password asked again.
import { useState } from 'react';
import { Form } from 'react-aria-components';
import { useMutation } from 'urql';
import { useNavigate } from 'react-router';
import { graphql } from '../shell/graphql.js';
import { Page } from '../shell/page.js';
import { useI18n } from '../shell/i18n.js';
import { useSession } from '../shell/session.js';
import { useForm } from '../shell/forms.js';
import { setCsrfToken } from '../shell/client.js';
import { Button, ConfirmDialog, ErrorSummary, Notice, TextField } from '../ds/index.js';

const ExportDocument = graphql(`
  mutation ExportMyData {
    exportMyData {
      json
      html
    }
  }
`);
const DeleteDocument = graphql(`
  mutation DeleteMyAccount($password: String!) {
    deleteMyAccount(password: $password)
  }
`);

function download(name: string, type: string, content: string) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export default function MyDataPage() {
  const { t } = useI18n();
  const { refresh } = useSession();
  const navigate = useNavigate();
  const [exportState, exportData] = useMutation(ExportDocument);
  const [, deleteAccount] = useMutation(DeleteDocument);
  const [ready, setReady] = useState<string | null>(null);
  const [confirm, setConfirm] = useState(false);
  const f = useForm({ password: '' });

  return (
    <Page title={t('data.title')} intro={<p>{t('data.intro')}</p>}>
      <section className="card" aria-labelledby="export-title">
        <h2 id="export-title">{t('data.exportTitle')}</h2>
        <p>{t('data.exportText')}</p>
        {ready ? (
          <Notice kind="success" role="status">
            <p>{ready}</p>
          </Notice>
        ) : null}
        <Button
          isDisabled={exportState.fetching}
          onPress={() => {
            void exportData({}).then((r) => {
              if (!r.data) return;
              const day = new Date().toISOString().slice(0, 10);
              download(`vigie-mes-donnees-${day}.json`, 'application/json', r.data.exportMyData.json);
              download(`vigie-mes-donnees-${day}.html`, 'text/html', r.data.exportMyData.html);
              setReady(t('data.exportReady'));
            });
          }}
        >
          {t('data.exportButton')}
        </Button>
      </section>
      <section className="card" aria-labelledby="delete-title">
        <h2 id="delete-title">{t('data.deleteTitle')}</h2>
        <p>{t('data.deleteText')}</p>
        <p>{t('data.deleteKept')}</p>
        <ErrorSummary title={t('form.errorsTitle')} errors={f.errors} />
        <Form
          validationBehavior="aria"
          onSubmit={(e) => {
            e.preventDefault();
            if (!f.values.password) {
              f.setErrors([{ field: 'password', message: t('data.passwordMissing') }]);
              return;
            }
            f.setErrors([]);
            setConfirm(true);
          }}
        >
          <TextField
            name="password"
            type="password"
            label={t('data.password')}
            hint={t('data.passwordHint')}
            value={f.values.password}
            onChange={f.set('password')}
            autoComplete="current-password"
            error={f.fieldError('password')}
            required
          />
          <Button type="submit" variant="danger">
            {t('data.deleteButton')}
          </Button>
        </Form>
        <ConfirmDialog
          isOpen={confirm}
          danger
          title={t('data.confirmTitle')}
          confirmLabel={t('data.confirmDelete')}
          cancelLabel={t('common.cancel')}
          onCancel={() => setConfirm(false)}
          onConfirm={() => {
            setConfirm(false);
            void deleteAccount({ password: f.values.password }).then((r) => {
              if (f.serverError(r.error, { '*': 'password' })) return;
              setCsrfToken(undefined);
              refresh();
              void navigate('/?compte=supprime');
            });
          }}
        >
          <p>{t('data.confirmText')}</p>
        </ConfirmDialog>
      </section>
    </Page>
  );
}
