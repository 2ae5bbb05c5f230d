// Private messages, only with neighbours of one's own community.
import { useEffect } from 'react';
import { Link, useParams } from 'react-router';
import { Form } from 'react-aria-components';
import { useMutation, useQuery } from 'urql';
import {
  Button,
  ErrorSummary,
  Loading,
  Page,
  TextArea,
  graphql,
  useForm,
  useI18n,
} from '@vigie/admin-ui/shell';

const ConversationsDocument = graphql(`
  query Conversations {
    conversations {
      unread
      neighbour {
        id
        displayName
      }
      lastMessage {
        body
        createdAt
        mine
      }
    }
    myCommunity {
      id
      members(limit: 100) {
        id
        displayName
      }
    }
    me {
      id
    }
  }
`);
const MessagesWithDocument = graphql(`
  query MessagesWith($neighbourId: ID!) {
    messagesWith(neighbourId: $neighbourId, limit: 100) {
      id
      body
      createdAt
      mine
      author {
        displayName
      }
    }
    myCommunity {
      id
      members(limit: 200) {
        id
        displayName
      }
    }
  }
`);
const SendDocument = graphql(`
  mutation SendPrivateMessage($recipientId: ID!, $body: String!) {
    sendPrivateMessage(recipientId: $recipientId, body: $body) {
      id
    }
  }
`);
const MarkReadDocument = graphql(`
  mutation MarkConversationRead($neighbourId: ID!) {
    markConversationRead(neighbourId: $neighbourId)
  }
`);

export default function ConversationsPage() {
  const { t, formatDate } = useI18n();
  const [{ data }] = useQuery({ query: ConversationsDocument, requestPolicy: 'cache-and-network' });
  if (!data) return <Loading />;
  const others = (data.myCommunity?.members ?? []).filter((m) => m.id !== data.me?.id);
  return (
    <Page title={t('vv.messages.title')} intro={<p>{t('vv.messages.intro')}</p>}>
      <h2>{t('vv.messages.conversations')}</h2>
      {data.conversations.length === 0 ? <p>{t('vv.messages.none')}</p> : null}
      <ul className="list">
        {data.conversations.map((c) => (
          <li key={c.neighbour.id}>
            <Link to={`/messages/${c.neighbour.id}`}>{c.neighbour.displayName}</Link>
            {c.unread ? (
              <span className="badge info"> {t('vv.messages.unread', { count: c.unread })}</span>
            ) : null}
            <p className="meta">
              {formatDate(c.lastMessage.createdAt)} · {c.lastMessage.mine ? `${t('vv.messages.you')} ` : ''}
              {c.lastMessage.body.slice(0, 120)}
            </p>
          </li>
        ))}
      </ul>
      <h2>{t('vv.messages.write')}</h2>
      <ul className="grid list">
        {others.map((m) => (
          <li key={m.id}>
            <Link to={`/messages/${m.id}`}>{t('vv.messages.writeTo', { name: m.displayName })}</Link>
          </li>
        ))}
      </ul>
    </Page>
  );
}

export function ConversationPage() {
  const { neighbourId = '' } = useParams();
  const { t, formatDate } = useI18n();
  const [{ data }, reload] = useQuery({
    query: MessagesWithDocument,
    variables: { neighbourId },
    requestPolicy: 'cache-and-network',
  });
  const [, send] = useMutation(SendDocument);
  const [, markRead] = useMutation(MarkReadDocument);
  const f = useForm({ body: '' });
  useEffect(() => {
    void markRead({ neighbourId });
  }, [neighbourId, markRead]);
  if (!data) return <Loading />;
  const name =
    data.myCommunity?.members.find((m) => m.id === neighbourId)?.displayName ?? t('vv.messages.neighbour');
  const list = [...data.messagesWith].reverse();
  return (
    <Page title={t('vv.messages.with', { name })}>
      <ul className="list">
        {list.map((m) => (
          <li key={m.id}>
            <p className="meta">
              {m.mine ? t('vv.messages.you') : m.author.displayName} · {formatDate(m.createdAt)}
            </p>
            <p style={{ whiteSpace: 'pre-wrap' }}>{m.body}</p>
          </li>
        ))}
      </ul>
      <ErrorSummary title={t('form.errorsTitle')} errors={f.errors} />
      <Form
        validationBehavior="aria"
        onSubmit={(e) => {
          e.preventDefault();
          if (!f.values.body.trim()) {
            f.setErrors([{ field: 'body', message: t('vv.messages.bodyMissing') }]);
            return;
          }
          void send({ recipientId: neighbourId, body: f.values.body.trim() }).then((r) => {
            if (f.serverError(r.error, { '*': 'body' })) return;
            f.setValues({ body: '' });
            f.setErrors([]);
            reload({ requestPolicy: 'network-only' });
          });
        }}
      >
        <TextArea
          name="body"
          label={t('vv.messages.body')}
          value={f.values.body}
          onChange={f.set('body')}
          error={f.fieldError('body')}
          maxLength={2000}
        />
        <Button type="submit">{t('vv.messages.send')}</Button>
      </Form>
      <p>
        <Link to="/messages">{t('vv.messages.back')}</Link>
      </p>
    </Page>
  );
}
