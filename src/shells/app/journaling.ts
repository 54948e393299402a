import type { Context } from 'probot';
import type { Around } from './handlers.js';
import { describeDelivery, type Journal } from './journal.js';

/**
 * The journal as the handlers use it: a delivery is journaled when it first leads to an
 * evaluation, before it is answered (`accept`), and marked done once its handler has published
 * (`around`); a handler that throws leaves it for recovery. Without a journal both do nothing.
 */
export function journaling(journal: Journal | undefined): {
  around: Around;
  accept: (context: Context) => Promise<unknown> | undefined;
} {
  const journaled = new Map<string, Promise<unknown>>();
  return {
    around: async (context, handler) => {
      try {
        await handler();
        if (journaled.has(context.id)) await journal?.done(context.id);
      } catch (error) {
        if (journaled.has(context.id)) await journal?.release(context.id);
        throw error;
      } finally {
        journaled.delete(context.id);
      }
    },
    accept: (context) => {
      if (!journal) return undefined;
      let accepted = journaled.get(context.id);
      if (!accepted) {
        accepted = journal.accept(
          describeDelivery(context.id, context.name, context.payload as Record<string, unknown>),
        );
        journaled.set(context.id, accepted);
      }
      return accepted;
    },
  };
}
