/** Flows of the assistant: conversation (see dialogue/flow.ts for how a flow is written). */
import type { Flow } from '../dialogue/flow.js';
import { complaintFile } from './conversation/complaint.flow.js';
import { faqContact, faqHours, faqIsBot, faqSecurity, help } from './conversation/faq.flows.js';
import { languageFlows } from './conversation/language.flows.js';
import { caseReference } from './conversation/references.flow.js';
import { smallTalkFlows } from './conversation/small-talk.flows.js';
import { conversationSummary } from './conversation/summary.flow.js';

export const conversationFlows: Flow[] = [
  complaintFile,
  caseReference,
  conversationSummary,
  faqHours,
  faqContact,
  faqIsBot,
  faqSecurity,
  help,
  ...languageFlows,
  ...smallTalkFlows,
];
