import { describe, expect, it } from 'vitest';
import {
  ageOn,
  authorizedUserCardExpiry,
  checkAddress,
  checkContactUpdate,
  checkEmail,
  checkNewAuthorizedUser,
  checkPersonName,
  compareAuthorizedUsers,
  defaultPreferences,
  evaluateAddAuthorizedUser,
  evaluateRemoveAuthorizedUser,
  looksLikeCardNumber,
  MAX_AUTHORIZED_USERS,
  mergePreferences,
  normalizePhone,
  planAddressChange,
  readPreferences,
  safeId,
  US_STATE_CODES,
  type Decision,
} from './profile.rules.js';

const value = <T>(d: Decision<T>): T => {
  if (!d.ok) throw new Error(`expected ok, got ${d.kind} ${d.rule ?? ''}: ${d.message}`);
  return d.value;
};
const invalidOf = (d: Decision<unknown>) => (d.ok ? 'ok' : d.kind === 'invalid' ? 'invalid' : `rule:${d.rule}`);

const HOME = {
  kind: 'home',
  line1: '200 Vesey Street',
  line2: 'Apt 4B',
  city: 'New York',
  state: 'NY',
  zip: '10285',
  country: 'US',
};

describe('looksLikeCardNumber', () => {
  it('finds 12+ digit runs, plain or grouped', () => {
    expect(looksLikeCardNumber('378282246310005')).toBe(true);
    expect(looksLikeCardNumber('card 3782 822463 10005 please')).toBe(true);
    expect(looksLikeCardNumber('4111-1111-1111-1111')).toBe(true);
    expect(looksLikeCardNumber('123456789012')).toBe(true);
  });
  it('leaves shorter numbers alone', () => {
    expect(looksLikeCardNumber('12345678901')).toBe(false);
    expect(looksLikeCardNumber('200 Vesey Street, Apt 4B')).toBe(false);
    expect(looksLikeCardNumber('10285-0001')).toBe(false);
  });
});

describe('safeId', () => {
  it('passes ids as the port hands them out', () => {
    expect(safeId('txn_0123456789abcdef0123')).toBe('txn_0123456789abcdef0123');
    expect(safeId('au-1')).toBe('au-1');
    // Random hex in our ids can hold long digit runs; they are still ids.
    expect(safeId('txn_01234567890123456789')).toBe('txn_01234567890123456789');
    expect(safeId('12345')).toBe('12345');
  });
  it('refuses anything else, above all a card number', () => {
    expect(safeId('378282246310005')).toBeNull();
    expect(safeId('3782-822463-10005')).toBeNull();
    expect(safeId('')).toBeNull();
    expect(safeId('x'.repeat(65))).toBeNull();
    expect(safeId('txn 1')).toBeNull();
    expect(safeId("txn'; drop table")).toBeNull();
    expect(safeId(42)).toBeNull();
    expect(safeId(undefined)).toBeNull();
  });
});

describe('checkEmail', () => {
  it('accepts ordinary addresses, trims and lower-cases the domain', () => {
    expect(value(checkEmail('  Alex.Rivera+bank@Example.COM '))).toBe('Alex.Rivera+bank@example.com');
    expect(value(checkEmail('a@b.co'))).toBe('a@b.co');
  });
  it.each([
    ['no at sign', 'alex.example.com'],
    ['no domain dot', 'alex@localhost'],
    ['empty local part', '@example.com'],
    ['double dot', 'alex..r@example.com'],
    ['leading dot', '.alex@example.com'],
    ['space inside', 'alex r@example.com'],
    ['numeric TLD', 'alex@example.123'],
    ['hyphen-edged label', 'alex@-example.com'],
    ['two at signs', 'a@b@example.com'],
  ])('rejects %s', (_name, email) => {
    expect(invalidOf(checkEmail(email))).toBe('invalid');
  });
  it('rejects non-strings', () => {
    expect(invalidOf(checkEmail(42))).toBe('invalid');
  });
  it('caps the length at 254 and the local part at 64', () => {
    const domain = `${'d'.repeat(63)}.${'e'.repeat(63)}.${'f'.repeat(63)}.com`;
    const at254 = `${'a'.repeat(254 - domain.length - 1)}@${domain}`;
    expect(at254.length).toBe(254);
    expect(value(checkEmail(at254))).toBe(at254);
    expect(invalidOf(checkEmail(`a${at254}`))).toBe('invalid');
    expect(invalidOf(checkEmail(`${'a'.repeat(65)}@example.com`))).toBe('invalid');
    expect(value(checkEmail(`${'a'.repeat(64)}@example.com`))).toContain('@example.com');
  });
  it('refuses a card number hidden in an email', () => {
    expect(invalidOf(checkEmail('378282246310005@example.com'))).toBe('rule:looks_like_card_number');
  });
});

describe('normalizePhone', () => {
  it('gives US 10-digit numbers +1', () => {
    expect(value(normalizePhone('2125550142'))).toBe('+12125550142');
    expect(value(normalizePhone('(212) 555-0142'))).toBe('+12125550142');
    expect(value(normalizePhone('212.555.0142'))).toBe('+12125550142');
    expect(value(normalizePhone('1 212 555 0142'))).toBe('+12125550142');
  });
  it('keeps international numbers in E.164', () => {
    expect(value(normalizePhone('+44 20 7946 0958'))).toBe('+442079460958');
    expect(value(normalizePhone('+351 912 345 678'))).toBe('+351912345678');
    expect(value(normalizePhone('+12125550142'))).toBe('+12125550142');
  });
  it('accepts 8 and 15 digits after +, not 7 or 16', () => {
    expect(value(normalizePhone('+12345678'))).toBe('+12345678');
    expect(value(normalizePhone('+123456789012345'))).toBe('+123456789012345');
    expect(invalidOf(normalizePhone('+1234567'))).toBe('invalid');
    expect(invalidOf(normalizePhone('+1234567890123456'))).toBe('invalid');
  });
  it.each([
    ['a short local number', '5550142'],
    ['a 10-digit number with area code 0xx', '0125550142'],
    ['a 10-digit number with exchange 1xx', '2121550142'],
    ['a country code starting with 0', '+0123456789'],
    ['letters', '212-555-CALL'],
    ['a + in the middle', '212+5550142'],
    ['an 11-digit number not starting with 1', '22125550142'],
    ['empty', ''],
  ])('rejects %s', (_name, phone) => {
    expect(invalidOf(normalizePhone(phone))).toBe('invalid');
  });
  it('refuses 12+ digits without a country code as a card number', () => {
    expect(invalidOf(normalizePhone('378282246310005'))).toBe('rule:looks_like_card_number');
    expect(invalidOf(normalizePhone('3782 822463 10005'))).toBe('rule:looks_like_card_number');
  });
  it('rejects non-strings', () => {
    expect(invalidOf(normalizePhone(2125550142))).toBe('invalid');
  });
});

describe('checkAddress', () => {
  it('accepts a US address, trimming and upper-casing the state', () => {
    expect(value(checkAddress({ ...HOME, state: ' ny ', line2: '' }))).toEqual({
      ...HOME,
      state: 'NY',
      line2: null,
    });
    expect(value(checkAddress({ ...HOME, line2: undefined, zip: '10285-0001' })).zip).toBe('10285-0001');
  });
  it('knows every state, DC and the territories', () => {
    expect(US_STATE_CODES).toHaveLength(50 + 1 + 5 + 3);
    for (const s of ['CA', 'DC', 'PR', 'GU', 'VI', 'AS', 'MP', 'AE'])
      expect(value(checkAddress({ ...HOME, state: s })).state).toBe(s);
    expect(invalidOf(checkAddress({ ...HOME, state: 'XX' }))).toBe('invalid');
    expect(invalidOf(checkAddress({ ...HOME, state: 'New York' }))).toBe('invalid');
  });
  it('only supports US addresses for now', () => {
    expect(invalidOf(checkAddress({ ...HOME, country: 'CA', state: 'ON', zip: 'M5V 2T6' }))).toBe(
      'rule:unsupported_country',
    );
    expect(value(checkAddress({ ...HOME, country: 'us' })).country).toBe('US');
    expect(invalidOf(checkAddress({ ...HOME, country: 'USA' }))).toBe('invalid');
    expect(invalidOf(checkAddress({ ...HOME, country: undefined }))).toBe('invalid');
  });
  it('bounds line1 to 1..100 characters', () => {
    expect(value(checkAddress({ ...HOME, line1: 'x'.repeat(100) })).line1).toHaveLength(100);
    expect(invalidOf(checkAddress({ ...HOME, line1: 'x'.repeat(101) }))).toBe('invalid');
    expect(invalidOf(checkAddress({ ...HOME, line1: '   ' }))).toBe('invalid');
  });
  it('checks the ZIP code', () => {
    for (const zip of ['1028', '102850', '10285-01', 'ABCDE', '10285 0001'])
      expect(invalidOf(checkAddress({ ...HOME, zip }))).toBe('invalid');
  });
  it('checks kind, city and unknown fields', () => {
    expect(invalidOf(checkAddress({ ...HOME, kind: 'vacation' }))).toBe('invalid');
    expect(invalidOf(checkAddress({ ...HOME, city: '' }))).toBe('invalid');
    expect(value(checkAddress({ ...HOME, city: "Coeur d'Alene" })).city).toBe("Coeur d'Alene");
    expect(invalidOf(checkAddress({ ...HOME, id: 'adr_1' }))).toBe('invalid');
    expect(invalidOf(checkAddress('200 Vesey Street'))).toBe('invalid');
  });
  it('refuses a card number in any text line', () => {
    expect(invalidOf(checkAddress({ ...HOME, line1: '3782 822463 10005' }))).toBe('rule:looks_like_card_number');
    expect(invalidOf(checkAddress({ ...HOME, line2: 'card 378282246310005' }))).toBe('rule:looks_like_card_number');
  });
});

describe('planAddressChange', () => {
  const existing = [
    { id: 'adr_home', kind: 'home' },
    { id: 'adr_mail', kind: 'mailing' },
  ];
  it('replaces the address of the same kind, keeping its id', () => {
    expect(planAddressChange(existing, 'mailing')).toEqual({ action: 'replace', id: 'adr_mail', primary: false });
    expect(planAddressChange(existing, 'home')).toEqual({ action: 'replace', id: 'adr_home', primary: true });
  });
  it('adds a new kind; a home address is always primary', () => {
    expect(planAddressChange(existing, 'business')).toEqual({ action: 'add', primary: false });
    expect(planAddressChange([], 'home')).toEqual({ action: 'add', primary: true });
  });
});

describe('checkContactUpdate', () => {
  it('needs at least one field', () => {
    expect(invalidOf(checkContactUpdate({}))).toBe('invalid');
    expect(invalidOf(checkContactUpdate(null))).toBe('invalid');
  });
  it('rejects unknown fields', () => {
    expect(invalidOf(checkContactUpdate({ email: 'a@b.co', name: 'x' }))).toBe('invalid');
  });
  it('cleans every given field', () => {
    expect(value(checkContactUpdate({ email: 'A@B.CO', phone: '2125550142', address: HOME }))).toEqual({
      email: 'A@b.co',
      phone: '+12125550142',
      address: { ...HOME },
    });
  });
  it('passes on the first refusal', () => {
    expect(invalidOf(checkContactUpdate({ email: 'a@b.co', phone: 'x' }))).toBe('invalid');
    expect(invalidOf(checkContactUpdate({ address: { ...HOME, country: 'MX' } }))).toBe('rule:unsupported_country');
  });
});

describe('communication preferences', () => {
  const current = {
    paperlessStatements: true,
    alertChannels: ['email' as const],
    marketingOptIn: false,
    language: 'en' as const,
  };

  it('defaults when nothing or garbage is stored', () => {
    expect(readPreferences(null, 'es')).toEqual(defaultPreferences('es'));
    expect(readPreferences('not json')).toEqual(defaultPreferences('en'));
    expect(readPreferences('[1,2]')).toEqual(defaultPreferences('en'));
    expect(defaultPreferences()).toEqual({
      paperlessStatements: false,
      alertChannels: ['email'],
      marketingOptIn: false,
      language: 'en',
    });
  });
  it('reads stored values field by field', () => {
    expect(readPreferences(JSON.stringify({ alertChannels: ['push', 'fax', 'email'], language: 'es' }))).toEqual({
      ...defaultPreferences('en'),
      alertChannels: ['email', 'push'],
      language: 'es',
    });
  });
  it('merges a partial change', () => {
    expect(value(mergePreferences(current, { marketingOptIn: true }, true))).toEqual({
      ...current,
      marketingOptIn: true,
    });
    expect(value(mergePreferences(current, { alertChannels: ['push', 'email'], language: 'es' }, true))).toEqual({
      ...current,
      alertChannels: ['email', 'push'],
      language: 'es',
    });
    expect(value(mergePreferences(current, { alertChannels: [] }, false)).alertChannels).toEqual([]);
  });
  it('rejects bad values, duplicates, unknown fields and empty changes', () => {
    expect(invalidOf(mergePreferences(current, { alertChannels: ['email', 'email'] }, true))).toBe('invalid');
    expect(invalidOf(mergePreferences(current, { alertChannels: ['fax'] }, true))).toBe('invalid');
    expect(invalidOf(mergePreferences(current, { alertChannels: 'email' }, true))).toBe('invalid');
    expect(invalidOf(mergePreferences(current, { language: 'fr' }, true))).toBe('invalid');
    expect(invalidOf(mergePreferences(current, { marketingOptIn: 'yes' }, true))).toBe('invalid');
    expect(invalidOf(mergePreferences(current, { theme: 'dark' }, true))).toBe('invalid');
    expect(invalidOf(mergePreferences(current, {}, true))).toBe('invalid');
    expect(invalidOf(mergePreferences(current, null, true))).toBe('invalid');
  });
  it('needs a phone for SMS alerts', () => {
    expect(invalidOf(mergePreferences(current, { alertChannels: ['sms'] }, false))).toBe('rule:sms_requires_phone');
    expect(value(mergePreferences(current, { alertChannels: ['sms'] }, true)).alertChannels).toEqual(['sms']);
    // Already subscribed to SMS and the phone is gone: any change must fix that first.
    expect(invalidOf(mergePreferences({ ...current, alertChannels: ['sms'] }, { marketingOptIn: true }, false))).toBe(
      'rule:sms_requires_phone',
    );
  });
});

describe('authorized users: names and input', () => {
  it('accepts letters, spaces, hyphens and apostrophes up to 50', () => {
    expect(value(checkPersonName("  Mary-Jane  O'Neil ", 'first name'))).toBe("Mary-Jane O'Neil");
    expect(value(checkPersonName('José', 'first name'))).toBe('José');
    expect(value(checkPersonName('x'.repeat(50), 'first name'))).toHaveLength(50);
    expect(invalidOf(checkPersonName('x'.repeat(51), 'first name'))).toBe('invalid');
    expect(invalidOf(checkPersonName('', 'first name'))).toBe('invalid');
    expect(invalidOf(checkPersonName('R2D2', 'first name'))).toBe('invalid');
    expect(invalidOf(checkPersonName('-Ann', 'first name'))).toBe('invalid');
    expect(invalidOf(checkPersonName(7, 'first name'))).toBe('invalid');
  });
  it('checks the new user', () => {
    const ok = { cardId: 'card_1', firstName: 'Sam', lastName: 'Rivera', dateOfBirth: '2010-01-01' };
    expect(value(checkNewAuthorizedUser(ok, '2026-11-25'))).toEqual(ok);
    expect(invalidOf(checkNewAuthorizedUser({ ...ok, dateOfBirth: '2010-02-30' }, '2026-11-25'))).toBe('invalid');
    expect(invalidOf(checkNewAuthorizedUser({ ...ok, dateOfBirth: '2026-11-26' }, '2026-11-25'))).toBe('invalid');
    expect(invalidOf(checkNewAuthorizedUser({ ...ok, dateOfBirth: '1899-12-31' }, '2026-11-25'))).toBe('invalid');
    expect(invalidOf(checkNewAuthorizedUser({ ...ok, cardId: '' }, '2026-11-25'))).toBe('invalid');
    expect(invalidOf(checkNewAuthorizedUser({ ...ok, ssn: '123' }, '2026-11-25'))).toBe('invalid');
    expect(invalidOf(checkNewAuthorizedUser(undefined, '2026-11-25'))).toBe('invalid');
  });
});

describe('ageOn', () => {
  it('counts whole years, turning a year older on the birthday', () => {
    expect(ageOn('2013-11-25', '2026-11-25')).toBe(13);
    expect(ageOn('2013-11-26', '2026-11-25')).toBe(12);
    expect(ageOn('2013-12-31', '2026-01-01')).toBe(12);
    expect(ageOn('2013-01-01', '2026-12-31')).toBe(13);
  });
  it('gives leaplings their birthday on 1 March in common years', () => {
    expect(ageOn('2012-02-29', '2025-02-28')).toBe(12);
    expect(ageOn('2012-02-29', '2025-03-01')).toBe(13);
    expect(ageOn('2012-02-29', '2024-02-29')).toBe(12);
  });
});

describe('evaluateAddAuthorizedUser', () => {
  const base = {
    cardRole: 'primary' as const,
    accountStatus: 'open',
    dateOfBirth: '2000-05-05',
    today: '2026-11-25',
    activeAuthorizedUsers: 0,
  };
  it('allows a primary card on an open account', () => {
    expect(value(evaluateAddAuthorizedUser(base))).toEqual({ age: 26 });
  });
  it('needs the primary card', () => {
    expect(invalidOf(evaluateAddAuthorizedUser({ ...base, cardRole: 'authorized_user' }))).toBe(
      'rule:not_primary_card',
    );
    expect(invalidOf(evaluateAddAuthorizedUser({ ...base, cardRole: null }))).toBe('rule:not_primary_card');
  });
  it('needs an open account', () => {
    expect(invalidOf(evaluateAddAuthorizedUser({ ...base, accountStatus: 'closed' }))).toBe('rule:account_not_open');
  });
  it('allows exactly 13 today, refuses one day short', () => {
    expect(value(evaluateAddAuthorizedUser({ ...base, dateOfBirth: '2013-11-25' }))).toEqual({ age: 13 });
    expect(invalidOf(evaluateAddAuthorizedUser({ ...base, dateOfBirth: '2013-11-26' }))).toBe(
      'rule:authorized_user_too_young',
    );
  });
  it('allows the 5th active user and refuses the 6th', () => {
    expect(value(evaluateAddAuthorizedUser({ ...base, activeAuthorizedUsers: MAX_AUTHORIZED_USERS - 1 })).age).toBe(26);
    const d = evaluateAddAuthorizedUser({ ...base, activeAuthorizedUsers: MAX_AUTHORIZED_USERS });
    expect(d).toMatchObject({ ok: false, rule: 'authorized_user_limit', details: { limit: 5, active: 5 } });
  });
  it('checks the card before the person', () => {
    expect(
      invalidOf(evaluateAddAuthorizedUser({ ...base, cardRole: 'authorized_user', dateOfBirth: '2020-01-01' })),
    ).toBe('rule:not_primary_card');
  });
});

describe('evaluateRemoveAuthorizedUser', () => {
  it('removes an active user once', () => {
    expect(evaluateRemoveAuthorizedUser({ status: 'active' }).ok).toBe(true);
    expect(invalidOf(evaluateRemoveAuthorizedUser({ status: 'removed' }))).toBe('rule:authorized_user_already_removed');
  });
});

describe('compareAuthorizedUsers', () => {
  it('lists active users first, then by date added and name', () => {
    const users = [
      { id: 'a', status: 'removed', addedOn: '2020-01-01', lastName: 'A', firstName: 'A' },
      { id: 'b', status: 'active', addedOn: '2024-01-01', lastName: 'B', firstName: 'B' },
      { id: 'c', status: 'active', addedOn: '2022-01-01', lastName: 'Z', firstName: 'Z' },
      { id: 'd', status: 'active', addedOn: '2022-01-01', lastName: 'M', firstName: 'M' },
    ];
    expect(users.sort(compareAuthorizedUsers).map((u) => u.id)).toEqual(['d', 'c', 'b', 'a']);
  });
});

describe('authorizedUserCardExpiry', () => {
  it('is four years out, as YYYY-MM', () => {
    expect(authorizedUserCardExpiry('2026-11-25')).toBe('2030-11');
    expect(authorizedUserCardExpiry('2028-02-29')).toBe('2032-02');
  });
});
