// Where Twilio calls back for one call: the tenant and the call travel in the
// URL that Twilio signs, never in what the request could choose.
export type CallHook = 'twiml' | 'gather' | 'status';

export const CALL_PATHS: Record<CallHook, string> = {
  twiml: '/webhooks/twilio/call',
  gather: '/webhooks/twilio/call/gather',
  status: '/webhooks/twilio/call/status',
};

export function callUrl(publicUrl: string, hook: CallHook, tenantId: string, callId: string): string {
  const u = new URL(CALL_PATHS[hook], publicUrl);
  u.searchParams.set('t', tenantId);
  u.searchParams.set('r', callId);
  return u.toString();
}
