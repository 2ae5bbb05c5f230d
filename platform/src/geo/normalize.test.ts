import { describe, expect, it } from 'vitest';
import { foldText, normalizeStreet, parseAddressQuery, streetKey, streetSearchText } from './normalize.js';

describe('address text normalization', () => {
  it('folds accents, case, ligatures and punctuation', () => {
    expect(foldText("  Rue de l'Église  ")).toBe('rue de l eglise');
    expect(foldText('Allée du Cœur-Volant')).toBe('allee du coeur volant');
    expect(foldText('ÉMILE CLOUD')).toBe('emile cloud');
  });

  it('expands whole-word abbreviations on the stored side, and only whole words', () => {
    expect(normalizeStreet('Bd St-Michel')).toBe('boulevard saint michel');
    expect(normalizeStreet('Av. de la Rép.')).toBe('avenue de la rep');
    expect(normalizeStreet('Rue du Lot')).toBe('rue du lot');
    expect(normalizeStreet('Rue Pasteur')).toBe('rue pasteur');
  });

  it('keys a street by its normalized name and postcode, so spellings meet', () => {
    expect(streetKey('Rue Émile Cloud', '77700')).toBe(streetKey('RUE EMILE CLOUD', '77700'));
    expect(streetSearchText('Rue Émile Cloud', '77700', 'Serris')).toBe(' rue emile cloud 77700 serris');
  });

  it('reads the number, the repetition index and the words of a query', () => {
    expect(parseAddressQuery('12 rue emile cl')).toEqual({
      numero: 12,
      rep: null,
      words: [['rue'], ['emile'], ['cl']],
      text: 'rue emile cl',
    });
    expect(parseAddressQuery('12 bis r Émile')).toMatchObject({
      numero: 12,
      rep: 'bis',
      words: [['r', 'rue'], ['emile']],
    });
    expect(parseAddressQuery('12b av Doppler')).toMatchObject({
      numero: 12,
      rep: 'b',
      words: [['av', 'avenue'], ['doppler']],
    });
    expect(parseAddressQuery('cours du danube 3')).toMatchObject({
      numero: 3,
      words: [['cours'], ['du'], ['danube']],
    });
    // A lone letter after the number is a word ("12 r" is "12 rue"), a 5-digit number a postcode.
    expect(parseAddressQuery('12 r')).toMatchObject({ numero: 12, rep: null, words: [['r', 'rue']] });
    expect(parseAddressQuery('rue emile cloud 77700')).toMatchObject({
      numero: null,
      words: [['rue'], ['emile'], ['cloud'], ['77700']],
    });
    expect(parseAddressQuery('  ')).toMatchObject({ numero: null, words: [] });
  });
});
