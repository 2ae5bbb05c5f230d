// SMS segment arithmetic (3GPP TS 23.038, "GSM 03.38"). A message in the GSM-7
// alphabet holds 160 septets, or 153 per segment once split (the rest is the
// concatenation header); the extension table (€ [ ] { } ^ ~ \ | and form feed)
// costs two septets each (escape + char). A single character outside the
// alphabet switches the whole message to UCS-2: 70 UTF-16 units, 67 per
// segment. French matters here: é è à ù ì ò É Ç are GSM-7, but ê â î ô û ë ï
// ç œ, the curly apostrophe ’ and the ellipsis … are not, and would halve the
// room. So texts are transliterated to GSM-7 first when that keeps them readable.

const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXTENSION = '\f^{}\\[~]|€';

const basic: ReadonlySet<string> = new Set(GSM7_BASIC);
const extension: ReadonlySet<string> = new Set(GSM7_EXTENSION);

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export const SEGMENT_LIMITS = {
  'GSM-7': { single: 160, multi: 153 },
  'UCS-2': { single: 70, multi: 67 },
} as const;

/** Septets for GSM-7 (1 or 2), undefined outside the alphabet. */
export function gsm7Cost(ch: string): 1 | 2 | undefined {
  if (basic.has(ch)) return 1;
  if (extension.has(ch)) return 2;
  return undefined;
}

export function isGsm7(text: string): boolean {
  for (const ch of text) if (gsm7Cost(ch) === undefined) return false;
  return true;
}

export interface SegmentCount {
  encoding: SmsEncoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
  segments: number;
}

/**
 * Counts segments the way handsets and Twilio split them: greedily, never
 * cutting an escape pair or a surrogate pair across two segments, so a
 * segment may carry one unit less than its nominal size.
 */
export function countSegments(text: string): SegmentCount {
  const encoding: SmsEncoding = isGsm7(text) ? 'GSM-7' : 'UCS-2';
  const costs = [...text].map((ch) => (encoding === 'GSM-7' ? gsm7Cost(ch)! : ch.length));
  const units = costs.reduce((a, b) => a + b, 0);
  const limits = SEGMENT_LIMITS[encoding];
  if (units === 0) return { encoding, units, segments: 0 };
  if (units <= limits.single) return { encoding, units, segments: 1 };
  let segments = 1;
  let room = limits.multi;
  for (const c of costs) {
    if (c > room) {
      segments += 1;
      room = limits.multi;
    }
    room -= c;
  }
  return { encoding, units, segments };
}

// Characters French (and neighbouring) texts use that GSM-7 lacks, mapped to
// the closest GSM-7 spelling. Letters lose their accent rather than becoming a
// different accented letter (ê → e, not é).
const TRANSLITERATIONS: Record<string, string> = {
  '’': "'",
  '‘': "'",
  '‚': "'",
  '′': "'",
  '´': "'",
  '`': "'",
  ʼ: "'",
  '“': '"',
  '”': '"',
  '„': '"',
  '″': '"',
  '«': '"',
  '»': '"',
  '‹': '"',
  '›': '"',
  '…': '...',
  '–': '-',
  '—': '-',
  '‐': '-',
  '‑': '-',
  '−': '-',
  '•': '-',
  '·': '.',
  '\u00a0': ' ',
  '\u202f': ' ',
  '\u2009': ' ',
  '\u2007': ' ',
  '\u200b': '',
  '\t': ' ',
  œ: 'oe',
  Œ: 'OE',
  ç: 'c',
  â: 'a',
  á: 'a',
  ã: 'a',
  À: 'A',
  Â: 'A',
  Á: 'A',
  Ã: 'A',
  ê: 'e',
  ë: 'e',
  È: 'E',
  Ê: 'E',
  Ë: 'E',
  î: 'i',
  ï: 'i',
  í: 'i',
  Î: 'I',
  Ï: 'I',
  Í: 'I',
  Ì: 'I',
  ô: 'o',
  ó: 'o',
  õ: 'o',
  Ô: 'O',
  Ó: 'O',
  Õ: 'O',
  Ò: 'O',
  û: 'u',
  ú: 'u',
  Û: 'U',
  Ú: 'U',
  Ù: 'U',
  ÿ: 'y',
  Ÿ: 'Y',
  ý: 'y',
  Ý: 'Y',
  '°': 'o',
  º: 'o',
  ª: 'a',
};

/** Rewrites what has a readable GSM-7 spelling; leaves the rest (emoji, other scripts) alone. */
export function toGsm7(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    out += gsm7Cost(ch) !== undefined ? ch : (TRANSLITERATIONS[ch] ?? ch);
  }
  return out;
}

export interface FittedSms extends SegmentCount {
  text: string;
  truncated: boolean;
}

export interface FitOptions {
  maxSegments?: number;
  /** Transliterate to GSM-7 first (default true): 306 characters instead of 134 for two segments. */
  transliterate?: boolean;
}

/**
 * Fits `text` into at most `maxSegments` segments. When it is too long, it is
 * cut at a word boundary, marked with an ellipsis and followed by `link` (the
 * full alert). The ellipsis is "..." in GSM-7: the "…" character is not in the
 * alphabet and would switch the whole message to UCS-2.
 */
export function fitSms(text: string, link?: string | null, opts: FitOptions = {}): FittedSms {
  const maxSegments = opts.maxSegments ?? 2;
  const clean = (opts.transliterate ?? true) ? toGsm7(text) : text;
  const whole = countSegments(clean);
  if (whole.segments <= maxSegments) return { text: clean, truncated: false, ...whole };

  const chars = [...clean];
  const tail = link ? ` ${link}` : '';
  const assemble = (n: number): string => {
    const head = chars
      .slice(0, n)
      .join('')
      .replace(/[\s,;:.\-–—]+$/u, '');
    const candidate = `${head}...${tail}`;
    return isGsm7(candidate) ? candidate : `${head}…${tail}`;
  };
  const fits = (n: number) => countSegments(assemble(n)).segments <= maxSegments;

  if (!fits(0)) {
    // The link alone does not fit: better a cut text than a cut link.
    if (link) return fitSms(text, null, opts);
    return { text: '', truncated: true, ...countSegments('') };
  }
  // Longer prefixes never fit better (more units, and only ever GSM-7 → UCS-2), so bisect.
  // No prefix longer than the GSM-7 capacity can fit (every character costs at least one unit).
  let lo = 0;
  let hi = Math.min(chars.length, SEGMENT_LIMITS['GSM-7'].multi * maxSegments);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  const cut = backToWordBoundary(chars, lo);
  const fitted = assemble(cut);
  return { text: fitted, truncated: true, ...countSegments(fitted) };
}

/** Moves a cut back to the previous space when it falls inside a word, unless that loses a long word's worth. */
function backToWordBoundary(chars: string[], cut: number): number {
  if (cut >= chars.length || /\s/u.test(chars[cut]!) || cut === 0) return cut;
  for (let i = cut; i > 0 && cut - i <= 25; i--) {
    if (/\s/u.test(chars[i - 1]!)) return i - 1;
  }
  return cut;
}
