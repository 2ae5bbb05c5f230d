// What a message's recipient is told, French first with the English beside
// it. The message itself stays out of the notification.
import type { Wording } from '../context.js';

export const texts = {
  received: (who: string): Wording => ({
    title: `Message de ${who}`,
    body: `${who} vous a écrit.`,
    en: { title: `Message from ${who}`, body: `${who} sent you a message.` },
  }),
};
