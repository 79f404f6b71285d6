/**
 * The quick replies offered when a conversation flow ends open-ended ("anything else?"): the same
 * labels the dialogue manager offers, so every menu in the chat reads alike and the NLU knows them.
 */
import { translator, type Language } from '@carechat/protocol';
import { common } from '../../dialogue/common.strings.js';

export function menu(lang: Language, o: { agent?: boolean } = {}): string[] {
  const c = translator(common, lang);
  return [c('qr.lost'), c('qr.balance'), c('qr.dispute'), ...(o.agent ? [c('qr.agent')] : [])];
}
