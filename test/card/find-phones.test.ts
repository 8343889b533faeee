import { describe, expect, it } from 'vitest';
import { findPhoneNumbers } from '../../src/card/find-phones.js';

describe('findPhoneNumbers', () => {
  it('finds each valid number once, in order, read with the default country when written nationally', () => {
    const text = 'María: +593 99 123 4567 (otra vez +593991234567); socio 099 765 4321; pedido 12345.';
    expect(findPhoneNumbers(text, 'EC', 20)).toEqual([
      { digits: '593991234567', international: '+593 99 123 4567' },
      { digits: '593997654321', international: '+593 99 765 4321' },
    ]);
  });

  it('stops at the most asked for, and finds nothing in text without numbers', () => {
    expect(findPhoneNumbers('+593 99 123 4567 y +52 55 1234 5678', undefined, 1)).toHaveLength(1);
    expect(findPhoneNumbers('Hola, ¿cómo estás?', 'EC', 20)).toEqual([]);
  });
});
