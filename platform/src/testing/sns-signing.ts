// Test-only SNS signer. A self-signed certificate and its key, made with the
// openssl CLI (Node can make keys but not X.509 certificates), sign SNS
// messages exactly as AWS does; the app trusts the certificate through
// SNS_TRUSTED_CERT_PATH, so no test ever fetches anything from AWS.
import { execFile } from 'node:child_process';
import { createSign, randomUUID } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { snsAlgorithm, snsStringToSign, type SnsMessage } from '../notifications/webhooks/sns.js';

const run = promisify(execFile);

export const TEST_SIGNING_CERT_URL =
  'https://sns.eu-west-3.amazonaws.com/SimpleNotificationService-vigie-test.pem';
export const TEST_TOPIC_ARN = 'arn:aws:sns:eu-west-3:123456789012:vigie-ses-events';

export interface SnsSigner {
  certPath: string;
  certPem: string;
  keyPem: string;
  sign(m: Omit<SnsMessage, 'Signature'>): SnsMessage;
  notification(
    message: unknown,
    opts?: {
      version?: '1' | '2';
      certUrl?: string;
      messageId?: string;
      subject?: string;
      timestamp?: string;
    },
  ): SnsMessage;
  subscriptionConfirmation(
    subscribeUrl: string,
    opts?: { version?: '1' | '2'; certUrl?: string },
  ): SnsMessage;
}

let shared: Promise<SnsSigner> | undefined;

/** One key pair per test process: openssl takes a moment on a busy machine. */
export function snsSigner(): Promise<SnsSigner> {
  shared ??= createSnsSigner();
  return shared;
}

export async function createSnsSigner(): Promise<SnsSigner> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vigie-sns-'));
  const certPath = path.join(dir, 'cert.pem');
  const keyPath = path.join(dir, 'key.pem');
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    keyPath,
    '-out',
    certPath,
    '-days',
    '2',
    '-subj',
    '/CN=sns.amazonaws.com',
  ]);
  const [certPem, keyPem] = await Promise.all([readFile(certPath, 'utf8'), readFile(keyPath, 'utf8')]);

  const sign = (m: Omit<SnsMessage, 'Signature'>): SnsMessage => {
    const signer = createSign(snsAlgorithm(m.SignatureVersion));
    signer.update(snsStringToSign({ ...m, Signature: '' }), 'utf8');
    return { ...m, Signature: signer.sign(keyPem, 'base64') };
  };
  const base = (version: '1' | '2' | undefined, certUrl: string | undefined) => ({
    MessageId: randomUUID(),
    TopicArn: TEST_TOPIC_ARN,
    Timestamp: new Date().toISOString(),
    SignatureVersion: version ?? '1',
    SigningCertURL: certUrl ?? TEST_SIGNING_CERT_URL,
  });
  return {
    certPath,
    certPem,
    keyPem,
    sign,
    notification(message, opts = {}) {
      return sign({
        ...base(opts.version, opts.certUrl),
        ...(opts.messageId ? { MessageId: opts.messageId } : {}),
        ...(opts.timestamp ? { Timestamp: opts.timestamp } : {}),
        Type: 'Notification',
        Message: typeof message === 'string' ? message : JSON.stringify(message),
        ...(opts.subject ? { Subject: opts.subject } : {}),
        UnsubscribeURL: 'https://sns.eu-west-3.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=test',
      });
    },
    subscriptionConfirmation(subscribeUrl, opts = {}) {
      const token = randomUUID().replace(/-/g, '');
      return sign({
        ...base(opts.version, opts.certUrl),
        Type: 'SubscriptionConfirmation',
        Token: token,
        Message: `You have chosen to subscribe to the topic ${TEST_TOPIC_ARN}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
        SubscribeURL: subscribeUrl,
      });
    },
  };
}
