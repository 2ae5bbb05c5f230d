// What a call to a number says, as TwiML: the asker's message twice, then its
// prompt in a one-key <Gather>; after the key, the asker's reply for 1 or for
// another key. The sentences around them are the platform's, in the call's
// language. Everything is given to the SDK's VoiceResponse, which escapes it.
import { twilioSdk } from '../lib/load-once.js';
export interface CallScript {
  locale: 'fr' | 'en';
  message: string;
  prompt: string | null;
  confirmedReply: string | null;
  otherKeyReply: string | null;
}

const WORDS = {
  fr: {
    language: 'fr-FR',
    repeat: 'Je répète.',
    thanks: 'Merci, votre réponse est enregistrée. Au revoir.',
    otherKey: 'Votre réponse est enregistrée. Au revoir.',
    goodbye: 'Au revoir.',
  },
  en: {
    language: 'en-GB',
    repeat: 'I repeat.',
    thanks: 'Thank you, your answer is recorded. Goodbye.',
    otherKey: 'Your answer is recorded. Goodbye.',
    goodbye: 'Goodbye.',
  },
} as const;

async function voiceResponse() {
  // The SDK loads with the first call answered, as for the other webhooks.
  const twilio = await twilioSdk();
  return new twilio.twiml.VoiceResponse();
}

/** The call: the message twice, then the prompt awaiting one key (8 s), then goodbye if none came. */
export async function callTwiml(s: CallScript, gatherUrl: string): Promise<string> {
  const w = WORDS[s.locale];
  const say = { language: w.language };
  const r = await voiceResponse();
  if (s.prompt) {
    const g = r.gather({ numDigits: 1, action: gatherUrl, method: 'POST', timeout: 8 });
    g.say(say, s.message);
    g.pause({ length: 1 });
    g.say(say, `${w.repeat} ${s.message}`);
    g.say(say, s.prompt);
  } else {
    r.say(say, s.message);
    r.pause({ length: 1 });
    r.say(say, `${w.repeat} ${s.message}`);
  }
  r.say(say, w.goodbye);
  r.hangup();
  return r.toString();
}

/** After the key: the asker's reply to 1 or to another key, then hang up. */
export async function keyTwiml(s: CallScript | null, digits: string): Promise<string> {
  const r = await voiceResponse();
  if (s) {
    const w = WORDS[s.locale];
    r.say(
      { language: w.language },
      digits === '1' ? (s.confirmedReply ?? w.thanks) : (s.otherKeyReply ?? w.otherKey),
    );
  }
  r.hangup();
  return r.toString();
}

export async function hangupTwiml(): Promise<string> {
  const r = await voiceResponse();
  r.hangup();
  return r.toString();
}
