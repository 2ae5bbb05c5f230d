import { describe, expect, it } from 'vitest';
import { countSegments, fitSms, isGsm7, toGsm7 } from './gsm.js';

describe('GSM-7 / UCS-2 segment counting', () => {
  it.each([
    ['empty', '', 'GSM-7', 0, 0],
    ['160 GSM-7 characters fit one segment', 'a'.repeat(160), 'GSM-7', 160, 1],
    ['161 need two segments of 153', 'a'.repeat(161), 'GSM-7', 161, 2],
    ['306 fill two multipart segments', 'a'.repeat(306), 'GSM-7', 306, 2],
    ['307 spill into a third', 'a'.repeat(307), 'GSM-7', 307, 3],
    ['€ costs two septets: 80 fit one segment', '€'.repeat(80), 'GSM-7', 160, 1],
    ['81 € are 162 septets, 76 pairs per segment', '€'.repeat(81), 'GSM-7', 162, 2],
    ['the extension table costs two each', '[]{}\\^~|€', 'GSM-7', 18, 1],
    ['152 + € + 2 still fit one single segment (156 septets)', 'a'.repeat(152) + '€' + 'aa', 'GSM-7', 156, 1],
    [
      '… and pushes to the next segment when it would straddle',
      'a'.repeat(152) + '€' + 'a'.repeat(10),
      'GSM-7',
      164,
      2,
    ],
    [
      'French accents in GSM-7 basic',
      'é è à ù ì ò É Ç ñ ü ö ä Ä Ö Ñ Ü ß Æ æ Ø ø Å å ¿ ¡ £ ¥ §',
      'GSM-7',
      55,
      1,
    ],
    ['ê is not GSM-7', 'fête', 'UCS-2', 4, 1],
    ['lowercase ç is not GSM-7 (only Ç is)', 'ça', 'UCS-2', 2, 1],
    ['œ is not GSM-7', 'œuvre', 'UCS-2', 5, 1],
    ['the curly apostrophe is not GSM-7', 'l’alerte', 'UCS-2', 8, 1],
    ['the ellipsis character is not GSM-7', 'attendez…', 'UCS-2', 9, 1],
    ['70 UCS-2 units fit one segment', 'ê'.repeat(70), 'UCS-2', 70, 1],
    ['71 need two of 67', 'ê'.repeat(71), 'UCS-2', 71, 2],
    ['134 fill two', 'ê'.repeat(134), 'UCS-2', 134, 2],
    ['135 spill into a third', 'ê'.repeat(135), 'UCS-2', 135, 3],
    ['an emoji is two UTF-16 units', '😀', 'UCS-2', 2, 1],
    ['35 emoji are 70 units: one segment', '😀'.repeat(35), 'UCS-2', 70, 1],
    ['a surrogate pair is never split: 36 emoji → 33 + 3', '😀'.repeat(36), 'UCS-2', 72, 2],
    ['one emoji turns a whole GSM-7 text into UCS-2', 'a'.repeat(100) + '🚨', 'UCS-2', 102, 2],
  ])('%s', (_name, text, encoding, units, segments) => {
    expect(countSegments(text)).toEqual({ encoding, units, segments });
  });
});

describe('transliteration to GSM-7', () => {
  it('keeps French GSM-7 letters and rewrites the others to their closest spelling', () => {
    const t = toGsm7(
      'L’été, c’est « génial » … même où l’œuvre, ça, Noël, maïs, âge, île, hôte, sûr, n° 12\u202f!',
    );
    expect(t).toBe(
      "L'été, c'est \" génial \" ... meme où l'oeuvre, ca, Noel, mais, age, ile, hote, sur, no 12 !",
    );
    expect(isGsm7(t)).toBe(true);
  });

  it('leaves what has no readable GSM-7 spelling alone', () => {
    expect(toGsm7('Alerte 🚨 à 14h')).toBe('Alerte 🚨 à 14h');
  });

  it('normalises decomposed accents first (e + combining acute is é)', () => {
    expect(toGsm7('e\u0301te\u0301')).toBe('été');
    expect(isGsm7(toGsm7('e\u0301te\u0301'))).toBe(true);
  });
});

describe('fitSms', () => {
  const link = 'https://serris.vigie.fr/a/3f9c2';
  const long =
    'Véhicule en repérage : une camionnette blanche sans plaque s’arrête devant les maisons de la rue des Tilleuls et note les numéros. ' +
    'Les occupants photographient les entrées. Ne vous approchez pas, notez l’heure et le sens de circulation, et prévenez la police municipale. ' +
    'En cas de danger immédiat, appelez le 17. Merci de votre vigilance, et pensez à fermer vos portails.';

  it('leaves a short text as it is, transliterated', () => {
    const r = fitSms('Réunion des voisins à 18h, salle des fêtes', link);
    expect(r).toMatchObject({
      text: 'Réunion des voisins à 18h, salle des fetes',
      truncated: false,
      encoding: 'GSM-7',
      segments: 1,
    });
  });

  it('cuts a long French text at a word, adds "..." and the link, and stays within 2 GSM-7 segments', () => {
    const r = fitSms(long, link);
    expect(r.truncated).toBe(true);
    expect(r.encoding).toBe('GSM-7');
    expect(r.segments).toBe(2);
    expect(r.units).toBeGreaterThan(280);
    expect(r.units).toBeLessThanOrEqual(306);
    expect(r.text.endsWith(`... ${link}`)).toBe(true);
    const head = r.text.slice(0, -`... ${link}`.length);
    expect(toGsm7(long).startsWith(head)).toBe(true);
    expect(toGsm7(long)[head.length]).toMatch(/[\s,.]/);
  });

  it('without transliteration the same text is UCS-2 and keeps far less of it', () => {
    const r = fitSms(long, link, { transliterate: false });
    expect(r.encoding).toBe('UCS-2');
    expect(r.segments).toBeLessThanOrEqual(2);
    expect(r.units).toBeLessThanOrEqual(134);
    expect(r.text.endsWith(`… ${link}`)).toBe(true);
  });

  it('uses the … character when the text is UCS-2 anyway (emoji)', () => {
    const r = fitSms(`🚨 ${long}`, link);
    expect(r.encoding).toBe('UCS-2');
    expect(r.segments).toBeLessThanOrEqual(2);
    expect(r.text.startsWith('🚨 ')).toBe(true);
    expect(r.text).toContain(`… ${link}`);
  });

  it('honours maxSegments', () => {
    const r = fitSms(long, link, { maxSegments: 1 });
    expect(r.segments).toBe(1);
    expect(r.units).toBeLessThanOrEqual(160);
    expect(r.text).toContain(link);
  });

  it('drops a link that cannot fit rather than cutting it', () => {
    const r = fitSms(long, `https://example.test/${'x'.repeat(400)}`);
    expect(r.segments).toBeLessThanOrEqual(2);
    expect(r.text).not.toContain('https://');
    expect(r.text.endsWith('...')).toBe(true);
  });

  it('never exceeds two segments whatever the input', () => {
    const samples = [
      '€'.repeat(500),
      'a '.repeat(400),
      `${'é'.repeat(300)}😀`,
      'mot'.repeat(200),
      `${'[x] '.repeat(120)}`,
    ];
    for (const s of samples) expect(fitSms(s, link).segments).toBeLessThanOrEqual(2);
  });
});
