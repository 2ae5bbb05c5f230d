// What a follow-up says it is, in each recipient's language, on every channel.
import { describe, expect, it } from 'vitest';
import { alertEmail, alertInApp, alertPush, alertSms, type AlertContent } from './messages.js';

const base: AlertContent = {
  alertId: '00000000-0000-4000-8000-000000000001',
  communeName: 'Serris',
  severity: 'important',
  categoryFr: 'Individu suspect',
  categoryEn: 'Suspicious person',
  text: 'La police a interpellé deux personnes.',
  link: 'http://serris.localhost:3000/alertes/00000000-0000-4000-8000-000000000001',
  preferencesUrl: 'http://serris.localhost:3000/preferences',
  purpose: 'alert',
};

describe('follow-up headings', () => {
  it('heads a follow-up in French or English on SMS, in-app, push and email; an alert has none', async () => {
    const update = { ...base, followUp: 'update' as const };
    const end = { ...base, alertId: '00000000-0000-4000-8000-000000000002', followUp: 'end' as const };
    expect(alertSms(update, 'fr').text).toContain("Suite de l'alerte : La police a interpellé");
    expect(alertSms(update, 'en').text).toContain('Follow-up to the alert: La police a interpellé');
    expect(alertInApp(end, 'fr').body).toBe("Fin d'alerte : La police a interpellé deux personnes.");
    expect(alertInApp(end, 'en').body).toBe('End of alert: La police a interpellé deux personnes.');
    expect(alertPush(end, 'en').body).toMatch(/^End of alert: /);
    expect((await alertEmail(end, 'en')).text).toContain('End of alert: La police');
    expect(alertInApp(base, 'en').body).toBe(base.text);
    expect(alertSms(base, 'fr').text).not.toMatch(/Suite de l'alerte|Fin d'alerte/);
  });
});
