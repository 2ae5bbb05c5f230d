// Discussions of the community: threads by category, comments, reporting.
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { Form } from 'react-aria-components';
import { useMutation, useQuery } from 'urql';
import {
  Button,
  ErrorSummary,
  Loading,
  Notice,
  Page,
  RadioGroup,
  TextArea,
  TextField,
  graphql,
  useForm,
  useI18n,
  type DiscussionCategory,
  type ModeratedContent,
  type ReportReason,
} from '@vigie/admin-ui/shell';

const ThreadsDocument = graphql(`
  query Threads {
    threads(limit: 30) {
      id
      title
      categoryLabel
      commentCount
      lastActivityAt
      author {
        displayName
      }
    }
    discussionCategories {
      value
      label
    }
  }
`);
const ThreadDocument = graphql(`
  query Thread($id: ID!) {
    thread(id: $id) {
      id
      title
      body
      categoryLabel
      createdAt
      author {
        id
        displayName
      }
      comments {
        id
        body
        createdAt
        author {
          id
          displayName
        }
      }
    }
    reportReasons {
      value
      label
    }
  }
`);
const CreateThreadDocument = graphql(`
  mutation CreateThread($input: ThreadInput!) {
    createThread(input: $input) {
      id
    }
  }
`);
const AddCommentDocument = graphql(`
  mutation AddComment($threadId: ID!, $body: String!) {
    addComment(threadId: $threadId, body: $body) {
      id
    }
  }
`);
const ReportDocument = graphql(`
  mutation ReportContent($input: ReportInput!) {
    reportContent(input: $input) {
      id
    }
  }
`);

export default function ThreadsPage() {
  const { t, formatDate } = useI18n();
  const [{ data }, reload] = useQuery({ query: ThreadsDocument, requestPolicy: 'cache-and-network' });
  const [, create] = useMutation(CreateThreadDocument);
  const f = useForm({ title: '', body: '', category: '' });
  const [created, setCreated] = useState(false);
  if (!data) return <Loading />;
  return (
    <Page title={t('vv.threads.title')}>
      <ul className="list">
        {data.threads.map((th) => (
          <li key={th.id}>
            <Link to={`/communaute/discussions/${th.id}`}>{th.title}</Link>
            <p className="meta">
              {th.categoryLabel} · {th.author.displayName} · {formatDate(th.lastActivityAt)} ·{' '}
              {t('vv.threads.comments', { count: th.commentCount })}
            </p>
          </li>
        ))}
      </ul>
      {data.threads.length === 0 ? <p>{t('vv.threads.none')}</p> : null}
      <h2>{t('vv.threads.new')}</h2>
      {created ? (
        <Notice kind="success" role="status">
          <p>{t('vv.threads.created')}</p>
        </Notice>
      ) : null}
      <ErrorSummary title={t('form.errorsTitle')} errors={f.errors} />
      <Form
        validationBehavior="aria"
        onSubmit={(e) => {
          e.preventDefault();
          const errs = [];
          if (!f.values.category) errs.push({ field: 'category', message: t('vv.threads.categoryMissing') });
          if (f.values.title.trim().length < 3)
            errs.push({ field: 'title', message: t('vv.threads.titleMissing') });
          if (f.values.body.trim().length < 3)
            errs.push({ field: 'body', message: t('vv.threads.bodyMissing') });
          f.setErrors(errs);
          if (errs.length) return;
          void create({
            input: {
              title: f.values.title.trim(),
              body: f.values.body.trim(),
              category: f.values.category as DiscussionCategory,
            },
          }).then((r) => {
            if (f.serverError(r.error)) return;
            f.setValues({ title: '', body: '', category: '' });
            setCreated(true);
            reload({ requestPolicy: 'network-only' });
          });
        }}
      >
        <RadioGroup
          name="category"
          label={t('vv.threads.category')}
          value={f.values.category}
          onChange={f.set('category')}
          error={f.fieldError('category')}
          required
          options={data.discussionCategories.map((c) => ({ value: c.value, label: c.label }))}
        />
        <TextField
          name="title"
          label={t('vv.threads.titleField')}
          value={f.values.title}
          onChange={f.set('title')}
          error={f.fieldError('title')}
          required
          maxLength={120}
        />
        <TextArea
          name="body"
          label={t('vv.threads.body')}
          value={f.values.body}
          onChange={f.set('body')}
          error={f.fieldError('body')}
          required
          maxLength={4000}
        />
        <Button type="submit">{t('vv.threads.publish')}</Button>
      </Form>
    </Page>
  );
}

export function ReportButton(p: {
  contentId: string;
  contentType: ModeratedContent;
  reasons: Array<{ value: ReportReason; label: string }>;
}) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [done, setDone] = useState(false);
  const [, report] = useMutation(ReportDocument);
  const f = useForm({});
  if (done)
    return (
      <p className="meta" role="status">
        {t('vv.report.done')}
      </p>
    );
  if (!open)
    return (
      <Button variant="quiet" onPress={() => setOpen(true)}>
        {t('vv.report.open')}
      </Button>
    );
  return (
    <div className="card">
      <ErrorSummary title={t('form.errorsTitle')} errors={f.errors} />
      <RadioGroup
        name={`reason-${p.contentId}`}
        label={t('vv.report.reason')}
        value={reason}
        onChange={setReason}
        options={p.reasons.map((r) => ({ value: r.value, label: r.label }))}
        error={f.fieldError(`reason-${p.contentId}`)}
      />
      <div className="btn-row">
        <Button
          onPress={() => {
            if (!reason) {
              f.setErrors([{ field: `reason-${p.contentId}`, message: t('vv.report.reasonMissing') }]);
              return;
            }
            void report({
              input: { contentId: p.contentId, contentType: p.contentType, reason: reason as ReportReason },
            }).then((r) => {
              if (!f.serverError(r.error)) setDone(true);
            });
          }}
        >
          {t('vv.report.send')}
        </Button>
        <Button variant="secondary" onPress={() => setOpen(false)}>
          {t('common.cancel')}
        </Button>
      </div>
    </div>
  );
}

export function ThreadPage() {
  const { id = '' } = useParams();
  const { t, formatDate } = useI18n();
  const [{ data, fetching }, reload] = useQuery({
    query: ThreadDocument,
    variables: { id },
    requestPolicy: 'cache-and-network',
  });
  const [, addComment] = useMutation(AddCommentDocument);
  const f = useForm({ body: '' });
  if (!data && fetching) return <Loading />;
  const th = data?.thread;
  if (!th || !data)
    return (
      <Page title={t('vv.threads.notFound')}>
        <Link to="/communaute/discussions">{t('vv.menu.discussions')}</Link>
      </Page>
    );
  return (
    <Page title={th.title}>
      <p className="meta">
        {th.categoryLabel} · {th.author.displayName} · {formatDate(th.createdAt)}
      </p>
      <p style={{ whiteSpace: 'pre-wrap' }}>{th.body}</p>
      <ReportButton contentId={th.id} contentType="thread" reasons={data.reportReasons} />
      <h2>{t('vv.threads.comments', { count: th.comments.length })}</h2>
      <ul className="list">
        {th.comments.map((c) => (
          <li key={c.id}>
            <p className="meta">
              {c.author.displayName} · {formatDate(c.createdAt)}
            </p>
            <p style={{ whiteSpace: 'pre-wrap' }}>{c.body}</p>
            <ReportButton contentId={c.id} contentType="comment" reasons={data.reportReasons} />
          </li>
        ))}
      </ul>
      <ErrorSummary title={t('form.errorsTitle')} errors={f.errors} />
      <Form
        validationBehavior="aria"
        onSubmit={(e) => {
          e.preventDefault();
          if (!f.values.body.trim()) {
            f.setErrors([{ field: 'body', message: t('vv.threads.commentMissing') }]);
            return;
          }
          void addComment({ threadId: th.id, body: f.values.body.trim() }).then((r) => {
            if (f.serverError(r.error)) return;
            f.setValues({ body: '' });
            f.setErrors([]);
            reload({ requestPolicy: 'network-only' });
          });
        }}
      >
        <TextArea
          name="body"
          label={t('vv.threads.comment')}
          value={f.values.body}
          onChange={f.set('body')}
          error={f.fieldError('body')}
          maxLength={2000}
        />
        <Button type="submit">{t('vv.threads.send')}</Button>
      </Form>
    </Page>
  );
}
