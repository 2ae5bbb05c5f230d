// Web push on this device: ask the browser's permission, subscribe with the
// server's VAPID key, register the subscription (subscribePush); and turn it
// off again (unsubscribePush, then the browser's own unsubscribe).
import { useEffect, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../shell/graphql.js';
import { useI18n } from '../shell/i18n.js';
import { useErrorMessage } from '../shell/forms.js';
import { Button, Notice } from '../ds/index.js';

const VapidDocument = graphql(`
  query PushSetup {
    vapidPublicKey
    myPushSubscriptions {
      id
      endpoint
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

const UnsubscribeDocument = graphql(`
  mutation UnsubscribePush($endpoint: String!) {
    unsubscribePush(endpoint: $endpoint)
  }
`);

async function browserSubscription(): Promise<PushSubscription | null> {
  const reg = await navigator.serviceWorker.ready;
  return reg.pushManager.getSubscription();
}

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
  const [, unsubscribe] = useMutation(UnsubscribeDocument);
  const errorMessage = useErrorMessage();
  const [state, setState] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  // This browser's endpoint: tells which of the listed devices is this one, so it can be turned off here.
  const [endpoint, setEndpoint] = useState<string | null>(null);
  const supported = typeof window !== 'undefined' && 'serviceWorker' in navigator && 'PushManager' in window;
  useEffect(() => {
    if (!supported) return;
    let live = true;
    browserSubscription()
      .then((s) => live && setEndpoint(s?.endpoint ?? null))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [supported]);
  const thisDevice = endpoint ? data?.myPushSubscriptions.find((s) => s.endpoint === endpoint) : undefined;

  const enable = async () => {
    try {
      if (!data?.vapidPublicKey) throw new Error('no key');
      const permission = await Notification.requestPermission();
      if (permission !== 'granted') {
        setState({ kind: 'error', text: t('push.denied') });
        return;
      }
      const reg = await navigator.serviceWorker.ready;
      // A subscription this browser still holds but the server no longer lists (the push
      // service said it was gone, or it was turned off from elsewhere) is dropped first:
      // subscribe would hand the same dead endpoint back.
      const held = await reg.pushManager.getSubscription();
      if (held && !data.myPushSubscriptions.some((s) => s.endpoint === held.endpoint))
        await held.unsubscribe();
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
        setEndpoint(json.endpoint);
        setState({ kind: 'success', text: t('push.enabled') });
        reload({ requestPolicy: 'network-only' });
      }
    } catch {
      setState({ kind: 'error', text: t('push.failed') });
    }
  };

  const disable = async (device: string) => {
    try {
      // The server forgets it first: were the browser's unsubscribe to fail, no alert goes to it any more.
      const r = await unsubscribe({ endpoint: device });
      if (r.error) {
        setState({ kind: 'error', text: errorMessage(r.error) ?? '' });
        return;
      }
      const sub = await browserSubscription();
      if (sub?.endpoint === device) await sub.unsubscribe();
      setEndpoint(null);
      setState({ kind: 'success', text: t('push.disabled') });
      reload({ requestPolicy: 'network-only' });
    } catch {
      setState({ kind: 'error', text: t('push.disableFailed') });
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
      {thisDevice ? (
        <Button variant="secondary" onPress={() => void disable(thisDevice.endpoint)}>
          {t('push.disable')}
        </Button>
      ) : supported && data?.vapidPublicKey ? (
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
                {s.id === thisDevice?.id ? ` · ${t('push.thisDevice')}` : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
