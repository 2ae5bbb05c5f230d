// The notifications module's public face: other modules import it from here only.
export { DEV_OUTBOX } from './adapters/dev-outbox.js';
export { escapeHtml, renderNotificationEmail } from './email-template.js';
export { ChannelError, isChannelError, networkReason, toApplicationFailure } from './errors.js';
export type { Channel, Channels, PushPayload, SendResult, Severity } from './ports.js';
export { storeInApp, storeInAppFrom, storeInAppMany } from './adapters/in-app.js';
export { createChannels } from './channels.js';
export { notificationsModule } from './module.js';
export { E164, SeveritySchema } from './ports.js';
export { clearOptOut, optedOutAmong, recordOptOut } from './opt-outs.js';
export type { OptOutChannel } from './opt-outs.js';
export {
  loadPreferences,
  planTiming,
  savePreferences,
  selectChannels,
  DEFAULT_PREFERENCES,
} from './preferences.js';
export { isQuietTime, nextSendTime } from './quiet-hours.js';
export { normalizeVoiceNumber, voiceWebhookUrl } from './voice.js';
export type { VoiceScript, VoiceScriptProvider } from './voice.js';
export type { RecipientReach } from './preferences.js';
export { pushDevicesOf, targetOf } from './push/subscriptions.js';
export { countSegments, fitSms, gsm7Cost, toGsm7 } from './gsm.js';
export type { RenderedEmail } from './email-template.js';
export type { BulkReceiptHandler, InboundSms, InboundSmsHandler, ReceiptHandler } from './receipts.js';
export { receiptTags, statusCallbackUrl } from './receipts.js';
export type { RecordedUsage, SmsUsage } from './sms-usage.js';
export { billingMonth, smsUsage } from './sms-usage.js';
export { recordWebhookEvent } from './webhooks/events.js';
export { recordWebhookRefusal, webhookRefusals, type RefusalCount } from './webhooks/refusals.js';
export { isSignedByTwilio, parseForm, type TwilioRequest } from './webhooks/twilio.js';
export { notificationsErrors } from './errors.js';
