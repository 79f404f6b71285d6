/**
 * Full-text search over the knowledge articles, one MiniSearch index per language.
 *
 * Cardmembers type without accents, with typos and in any inflection ("disputed", "disputa",
 * "tarjetas"), so every term, indexed or searched, is folded (lower case, no accents), stripped of
 * a common ending and cut to six characters: a crude stemmer that treats English and Spanish alike.
 * On top of that, search is fuzzy (one edit in 5+ letters) and by prefix. Titles and keywords weigh
 * more than bodies, since they say what an article is about rather than everything it mentions.
 */
import MiniSearch from 'minisearch';
import type { Language } from '@carechat/protocol';
import { ARTICLE_IDS, type ArticleId, type Articles } from './article.js';
import { ARTICLES_EN } from './articles-en.js';
import { ARTICLES_ES } from './articles-es.js';

export interface KnowledgeHit {
  id: ArticleId;
  title: string;
  body: string;
  /** MiniSearch's relevance score; hits below MIN_SCORE are never returned. */
  score: number;
}

/**
 * The score below which a hit is noise: a fuzzy or prefix echo of one common word. Chosen on the test
 * questions: every right answer scores well above it, and keyboard mashing and off-topic questions
 * ("what's the weather in Paris") stay under it.
 */
export const MIN_SCORE = 6;
/**
 * The share of the query's words (stopwords aside) a hit must match. One rare word alone scores high
 * ("who won the football game" finds "who" in the is-this-a-bot article), but it is not an answer.
 */
export const MIN_COVERAGE = 0.5;

// Words that say nothing about the topic: question words, pronouns, articles, auxiliaries, courtesy.
const STOPWORDS = new Set(
  `a an the and or but if of to in on at by for from with about into over is are was were be been being am do does
   did done have has had having can could would should will shall may might must i me my mine we us our you your
   yours he she it its they them their this that these those what which whose where why how there
   here not no yes please thanks thank hi hello hey ok okay just so too very also get got want need like know tell
   let im ive id dont cant wont isnt meridian
   el la los las un una unos unas y o u pero si de del al a en por para con sin sobre que como cuando donde
   quien cual cuales cuanto es son esta estan estoy ser fue era hay he ha han mi mis me te se su sus tu tus yo
   usted ustedes nos le les lo ya muy mas tambien hola gracias favor quiero quisiera necesito puedo puede soy
   saber decir`
    .split(/\s+/)
    .filter(Boolean),
);

const fold = (term: string): string =>
  term
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/['’]/g, '');

/**
 * The crude stemmer described above: a plural ending, then one verb or gender ending, then six letters.
 * "charges", "charged", "charging" and "charge" meet at "charg"; "tarjetas" and "tarjeta" at "tarjet";
 * "sordas" and "sordo" at "sord"; "disputa" and "disputed" at "disput".
 */
function processTerm(term: string): string | null {
  let t = fold(term);
  // Single letters ("r u open") carry nothing either.
  if (t.length < 2 || STOPWORDS.has(t)) return null;
  if (t.length > 3) {
    if (/es$/.test(t) && t.length >= 6) t = t.slice(0, -2);
    else if (/[^s]s$/.test(t)) t = t.slice(0, -1);
    const bare = t.replace(/(?:ing|ed|[aeo])$/, '');
    if (bare.length >= 3) t = bare;
  }
  return t.slice(0, 6);
}

const tokenize = MiniSearch.getDefault('tokenize') as (text: string) => string[];

interface Doc {
  id: ArticleId;
  title: string;
  body: string;
  keywords: string;
}

function index(articles: Articles): MiniSearch<Doc> {
  const search = new MiniSearch<Doc>({
    fields: ['title', 'keywords', 'body'],
    processTerm,
    searchOptions: {
      boost: { title: 2, keywords: 2, body: 1 },
      // Typo tolerance only where a word is long enough not to turn into another word.
      fuzzy: (term) => (term.length >= 5 ? 1 : false),
      // A fuzzy match is a guess: it counts a third of an exact one (MiniSearch's default is nearly half),
      // so "cuéntame" finding "cuenta" never outweighs a word the article really has.
      weights: { fuzzy: 0.15, prefix: 0.375 },
      prefix: (term) => term.length >= 4,
      combineWith: 'OR',
    },
  });
  search.addAll(ARTICLE_IDS.map((id) => ({ id, ...articles[id], keywords: articles[id].keywords.join(' ; ') })));
  return search;
}

export class KnowledgeBase {
  private readonly articles: Record<Language, Articles> = { en: ARTICLES_EN, es: ARTICLES_ES };
  private readonly indexes: Record<Language, MiniSearch<Doc>> = { en: index(ARTICLES_EN), es: index(ARTICLES_ES) };

  /** The articles that answer `query`, best first, none below MIN_SCORE or MIN_COVERAGE. */
  search(query: string, lang: Language, limit = 3): KnowledgeHit[] {
    const terms = new Set(
      tokenize(query)
        .map((t) => processTerm(t))
        .filter((t) => t !== null),
    ).size;
    return this.indexes[lang]
      .search(query)
      .filter((r) => r.score >= MIN_SCORE && r.queryTerms.length >= terms * MIN_COVERAGE)
      .slice(0, limit)
      .map((r) => {
        const id = r.id as ArticleId;
        const { title, body } = this.articles[lang][id];
        return { id, title, body, score: Math.round(r.score * 100) / 100 };
      });
  }

  /** One article by id, or undefined for an unknown id. */
  get(id: string, lang: Language): { id: ArticleId; title: string; body: string } | undefined {
    if (!(ARTICLE_IDS as readonly string[]).includes(id)) return undefined;
    const { title, body } = this.articles[lang][id as ArticleId];
    return { id: id as ArticleId, title, body };
  }
}

let shared: KnowledgeBase | undefined;

/** The process-wide knowledge base, indexed on first use (a few milliseconds). */
export function knowledgeBase(): KnowledgeBase {
  shared ??= new KnowledgeBase();
  return shared;
}
