/**
 * Knowledge articles: short, plain-text answers to the demo issuer's frequent questions, the same set
 * in every language (the ids below), so the assistant can answer in the conversation's language and
 * an agent can send the same article in the other one.
 */
export const ARTICLE_IDS = [
  'is-bot',
  'chat-hours',
  'phone-hours',
  'specialist-hours',
  'reach-person',
  'phone-numbers',
  'call-abroad',
  'tty',
  'spanish-service',
  'report-fraud',
  'lost-card',
  'mail-payments',
  'mail-correspondence',
  'never-ask',
  'suspicious-contact',
  'chat-redaction',
  'dispute-deadline',
  'dispute-process',
  'foreign-fees',
  'annual-fees',
  'late-fee',
  'card-delivery',
  'card-activation',
  'pin',
  'digital-wallet',
  'paperless',
  'travel-notice',
  'trip-protection',
  'lounge',
  'privacy',
] as const;
export type ArticleId = (typeof ARTICLE_IDS)[number];

export interface ArticleText {
  title: string;
  /** 2-4 short sentences of plain text: it is sent as a chat message, so no markdown or links. */
  body: string;
  /** Words and phrases people use for this topic that the title and body may not contain. */
  keywords: string[];
}

/** Every language must answer every question: the type makes a missing article a compile error. */
export type Articles = Record<ArticleId, ArticleText>;
