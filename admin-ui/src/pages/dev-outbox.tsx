// Outside production, the messages Vigie "sent" (e-mails and SMS) are kept in a
// demo mailbox: the codes and links a newcomer needs are shown here.
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { graphql } from '../shell/graphql.js';
import { useI18n } from '../shell/i18n.js';

const OutboxDocument = graphql(`
  query DevOutbox($recipient: String) {
    devOutbox(recipient: $recipient, limit: 5) {
      id
      channel
      recipient
      subject
      body
      createdAt
    }
  }
`);

function Linkified({ text }: { text: string }) {
  const parts = text.split(/(https?:\/\/[^\s<>"]+)/g);
  return (
    <>
      {parts.map((part, i) => {
        if (!/^https?:\/\//.test(part)) return <span key={i}>{part}</span>;
        const url = new URL(part);
        const local = url.host === window.location.host;
        return local ? (
          <Link key={i} to={url.pathname + url.search}>
            {url.pathname + url.search}
          </Link>
        ) : (
          <span key={i}>{part}</span>
        );
      })}
    </>
  );
}

export function DevOutbox({ recipient }: { recipient: string | null | undefined }) {
  const { t, formatDate } = useI18n();
  const [{ data, error }, reload] = useQuery({
    query: OutboxDocument,
    variables: { recipient: recipient ?? null },
    pause: !recipient,
    requestPolicy: 'network-only',
  });
  if (!recipient || error) return null;
  return (
    <section className="card" aria-labelledby="outbox-title">
      <h2 id="outbox-title">{t('outbox.title')}</h2>
      <p className="meta">{t('outbox.intro', { recipient })}</p>
      <button
        type="button"
        className="btn secondary"
        onClick={() => reload({ requestPolicy: 'network-only' })}
      >
        {t('outbox.reload')}
      </button>
      {data?.devOutbox.length ? (
        <ul className="list">
          {data.devOutbox.map((m) => (
            <li key={m.id}>
              <p className="meta">
                {m.channel === 'sms' ? 'SMS' : t('outbox.email')} · {formatDate(m.createdAt)}
                {m.subject ? ` · ${m.subject}` : ''}
              </p>
              <p style={{ whiteSpace: 'pre-wrap' }}>
                <Linkified text={m.body} />
              </p>
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('outbox.empty')}</p>
      )}
    </section>
  );
}
