import { describe, expect, it } from 'vitest';
import { INTENTS } from '../intents.js';
import { BANKING77_TO_CATALOG, CLINC_TO_CATALOG, mapBanking77, mapClinc } from './dataset-map.js';

describe('dataset mapping', () => {
  it('maps only to intent ids', () => {
    for (const id of [...Object.values(CLINC_TO_CATALOG), ...Object.values(BANKING77_TO_CATALOG)]) {
      expect(INTENTS).toContain(id);
    }
  });

  it('follows the CLINC150 rules', () => {
    expect(mapClinc('report_lost_card', 'credit_cards')).toBe('card.lost_stolen');
    expect(mapClinc('book_hotel', 'travel')).toBe('travel.booking');
    expect(mapClinc('oos', 'oos')).toBe('out_of_scope');
    expect(mapClinc('routing', 'banking')).toBe('out_of_scope');
    expect(mapClinc('weather', 'utility')).toBe('out_of_scope');
    // Near the card domain but not one intent: not evaluated.
    expect(mapClinc('new_card', 'credit_cards')).toBeNull();
    expect(mapClinc('interest_rate', 'banking')).toBeNull();
    // Listed as excluded even outside banking and credit cards.
    expect(mapClinc('change_language', 'meta')).toBeNull();
    expect(mapClinc('maybe', 'meta')).toBeNull();
  });

  it('follows the BANKING77 rules: mapped labels only', () => {
    expect(mapBanking77('transaction_charged_twice')).toBe('dispute.start');
    expect(mapBanking77('top_up_failed')).toBeNull();
  });
});
