/**
 * The conversation tests' set-up (`*.conv.test.ts`): one chat harness per test file. Kept apart from
 * test/chat-harness.ts because it registers vitest hooks, and the benchmarks use the harness too.
 */
import { afterAll, beforeAll } from 'vitest';
import { chatHarness, type ChatHarness } from '../../../test/chat-harness.js';

/**
 * A chat harness built before the file's first test and closed after its last. The object returned
 * stands for it from the start, so a file declares `const h = useChatHarness();` at the top and its
 * tests and helpers use `h` as they would the harness itself.
 */
export function useChatHarness(): Omit<ChatHarness, 'close'> {
  let harness: ChatHarness | undefined;
  // Building the app (migrations, demo personas, the NLU model) takes seconds.
  beforeAll(async () => {
    harness = await chatHarness();
  }, 60_000);
  afterAll(() => harness?.close());
  const ready = (): ChatHarness => {
    if (!harness) throw new Error('The chat harness is built in beforeAll: use it inside a test.');
    return harness;
  };
  return {
    get app() {
      return ready().app;
    },
    get clock() {
      return ready().clock;
    },
    open: (persona, o) => ready().open(persona, o),
    performed: (operation, targetId) => ready().performed(operation, targetId),
  };
}
