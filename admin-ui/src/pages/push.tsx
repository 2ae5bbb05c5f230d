// Web push on this device: ask the browser's permission, subscribe with the
// server's VAPID key, register the subscription (subscribePush).
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../gql/index.js';
import { useI18n } from '../shell/i18n.js';
import { useErrorMessage } from '../shell/forms.js';
import { Button, Notice } from '../ds/index.js';

const VapidDocument = graphql(`
  query PushSetup {
    vapidPublicKey
    myPushSubscriptions {
      id
      label
      createdAt
    }
  }
`);
const SubscribeDocument = graphql(`
  mutation SubscribePush($input: PushSubscriptionInput!) {
    subscribePush(input: $input) {
      id
    }
  }
`);

function urlBase64ToUint8Array(base64: string): Uint8Array<ArrayBuffer> {
  const padding = '='.repeat((4 - (base64.length % 4)) % 4);
  const raw = atob((base64 + padding).replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

export function PushDevice() {
  const { t, formatDate } = useI18n();
  const [{ data }, reload] = useQuery({ query: VapidDocument, requestPolicy: 'network-only' });
  const [, subscribe] = useMutation(SubscribeDocument);
  const errorMessage = useErrorMessage();
  const [state, setState] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const supported = typeof window !== 'undefined' && 'serviceWorker' in navigator && 'PushManager' in window;

  const enable = async () => {
    try {
      if (!data?.vapidPublicKey) throw new Error('no key');
      const permission = await Notification.requestPermission();
      if (permission !== 'granted') {
        setState({ kind: 'error', text: t('push.denied') });
        return;
      }
      const reg = await navigator.serviceWorker.ready;
      const sub = await reg.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: urlBase64ToUint8Array(data.vapidPublicKey),
      });
      const json = sub.toJSON() as { endpoint: string; keys: { p256dh: string; auth: string } };
      const r = await subscribe({
        input: { endpoint: json.endpoint, keys: json.keys, label: navigator.userAgent.slice(0, 80) },
      });
      if (r.error) setState({ kind: 'error', text: errorMessage(r.error) ?? '' });
      else {
        setState({ kind: 'success', text: t('push.enabled') });
        reload({ requestPolicy: 'network-only' });
      }
    } catch {
      setState({ kind: 'error', text: t('push.failed') });
    }
  };

  return (
    <section className="card" aria-labelledby="push-title">
      <h2 id="push-title">{t('push.title')}</h2>
      <p>{t('push.intro')}</p>
      {state ? (
        <Notice kind={state.kind} role="status">
          <p>{state.text}</p>
        </Notice>
      ) : null}
      {supported && data?.vapidPublicKey ? (
        <Button variant="secondary" onPress={() => void enable()}>
          {t('push.enable')}
        </Button>
      ) : (
        <p className="meta">{t('push.unsupported')}</p>
      )}
      {data?.myPushSubscriptions.length ? (
        <>
          <h3>{t('push.devices')}</h3>
          <ul>
            {data.myPushSubscriptions.map((s) => (
              <li key={s.id}>
                {s.label ?? t('push.device')} · {formatDate(s.createdAt)}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
