// What a thread's author is told, French first with the English beside it.
import type { Wording } from '../context.js';

export const texts = {
  newComment: (thread: string, who: string): Wording => ({
    title: `Nouvelle réponse : ${thread}`,
    body: `${who} a répondu à votre discussion.`,
    en: { title: `New reply: ${thread}`, body: `${who} replied to your discussion.` },
  }),
};
