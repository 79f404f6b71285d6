/** Cardmembers and their (masked) cards, as the demo site and identity need them. */
import type { Db } from '../store/db.js';
import { verifyAgainstDummy, verifyPassword } from '../identity/passwords.js';

export interface CardmemberSummary {
  id: string;
  firstName: string;
  lastName: string;
  language: 'en' | 'es';
}

export class CardmembersStore {
  constructor(private readonly db: Db) {}

  /** Demo-site sign-in. Same timing for an unknown username as for a wrong password. */
  async authenticate(username: string, password: string): Promise<CardmemberSummary | null> {
    const row = await this.db
      .selectFrom('cardmembers')
      .selectAll()
      .where('username', '=', username.trim().toLowerCase())
      .executeTakeFirst();
    if (!row) return verifyAgainstDummy(password).then(() => null);
    if (!(await verifyPassword(row.password_hash, password))) return null;
    return { id: row.id, firstName: row.first_name, lastName: row.last_name, language: row.preferred_language };
  }

  async account(cardmemberId: string) {
    const cm = await this.db.selectFrom('cardmembers').selectAll().where('id', '=', cardmemberId).executeTakeFirst();
    if (!cm) return null;
    const cards = await this.db
      .selectFrom('cards')
      .select(['id', 'last4', 'product_name', 'status'])
      .where('cardmember_id', '=', cardmemberId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return {
      cardmember: { id: cm.id, firstName: cm.first_name, lastName: cm.last_name, language: cm.preferred_language },
      cards: cards.map((c) => ({ id: c.id, last4: c.last4, productName: c.product_name, status: c.status })),
    };
  }
}
