import { describe, expect, it } from 'vitest';
import { containsCardNumber, containsSecurityCode, findSensitive, luhnValid } from './sensitive.js';

describe('luhnValid', () => {
  it('accepts known test card numbers and rejects a changed digit', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('5555555555554444')).toBe(true);
    expect(luhnValid('378282246310005')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('41111a1111111111')).toBe(false);
  });
});

describe('containsCardNumber', () => {
  it.each([
    'my card is 4111111111111111',
    'number 4111 1111 1111 1111 please',
    '4111-1111-1111-1111',
    'amex 3782 822463 10005.',
    'card:5555555555554444,',
    '4111 1111 1111 1111 123', // card followed by something else
    '6011000990139424', // 16-digit Discover
    '4222222222222', // 13 digits
  ])('flags %s', (text) => {
    expect(containsCardNumber(text)).toBe(true);
  });

  it.each([
    'my card ends in 1005',
    'order 4111111111111112', // fails Luhn
    'call 1-800-555-0199',
    'amount 1,234,567.89',
    'ref 123456789012', // 12 digits
    '41111111111111111111111', // 23 digits: not a card number
  ])('does not flag %s', (text) => {
    expect(containsCardNumber(text)).toBe(false);
  });
});

describe('containsSecurityCode', () => {
  it.each(['cvv 123', 'My CVV is 1234', 'cvc: 987', 'security code 123', 'el código de seguridad es 456', 'CVV2=321'])(
    'flags %s',
    (text) => {
      expect(containsSecurityCode(text)).toBe(true);
    },
  );

  it.each(['what is a cvv?', 'security code', 'cvv 12', 'my zip is 12345', 'CVV 12345'])('does not flag %s', (text) => {
    expect(containsSecurityCode(text)).toBe(false);
  });
});

describe('findSensitive', () => {
  it('reports which kind was found, or null for ordinary text', () => {
    expect(findSensitive('4111111111111111 cvv 123')).toEqual({ cardNumber: true, securityCode: true });
    expect(findSensitive('cvv 123')).toEqual({ cardNumber: false, securityCode: true });
    expect(findSensitive('What is my balance on the card ending 1005?')).toBeNull();
  });
});
