/** Flows of the assistant: account (see dialogue/flow.ts for how a flow is written). */
import type { Flow } from '../dialogue/flow.js';
import { authorizedUser } from './account.authorized-user.js';
import { updateContact } from './account.contact.js';
import { preferences } from './account.preferences.js';

export const accountFlows: Flow[] = [authorizedUser, updateContact, preferences];
