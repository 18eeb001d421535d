// "Try it" requests: a user ran a project's model (a run's exported model, or a model / checkpoint artifact) on
// new input from the dashboard or the API. Each request is stored — who asked, which model, the input and the
// sampling options, the output and how long it took — so results survive a page reload and are auditable. The
// worker that runs it (apps/cli/src/tryit.ts) appends generated text as it comes; the model is always an
// artifact of the project (downloaded through the verified cache), never a path a client named.
import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { artifacts } from './artifacts.ts';
import { projects, users } from './auth.ts';
import { runs } from './runs.ts';

export const tryStatus = pgEnum('try_status', ['queued', 'running', 'finished', 'failed']);
export const tryKind = pgEnum('try_kind', ['generate', 'classify']);

export const tryRequests = pgTable(
  'try_requests',
  {
    id: uuid().primaryKey().default(sql`gen_random_uuid()`),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    /** Who asked (a user deleted later keeps the record, without the name). */
    userId: uuid().references(() => users.id, { onDelete: 'set null' }),
    /** The model: an artifact of the project (a run's exported model is its `model` artifact). */
    artifactId: uuid()
      .notNull()
      .references(() => artifacts.id, { onDelete: 'cascade' }),
    /** The run the request was made from, when it named one (else the artifact's producer). */
    runId: uuid().references(() => runs.id, { onDelete: 'set null' }),
    kind: tryKind().notNull(),
    status: tryStatus().notNull().default('queued'),
    /** The prompt (generate) or the text to classify. */
    input: text().notNull(),
    /** Sampling options as resolved (generate): maxNewTokens, temperature, topK, topP, seed, stop. */
    options: jsonb().notNull().default({}),
    /** Generated text so far (appended as tokens come), or the classifier's top label. */
    output: text().notNull().default(''),
    /** Generated tokens so far. */
    tokens: integer().notNull().default(0),
    /** classify: the probability of each class, in class order. */
    probabilities: jsonb(),
    /** generate: 'length', 'stop' or 'eos' once finished. */
    finishReason: text(),
    /** Why it failed, for the user. */
    error: text(),
    /** The worker that ran it. */
    host: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp({ withTimezone: true }),
    /** When the first token (or the probabilities) came. */
    firstTokenAt: timestamp({ withTimezone: true }),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index('try_requests_user_time_idx').on(t.userId, t.createdAt),
    index('try_requests_run_idx').on(t.runId, t.createdAt),
    index('try_requests_artifact_idx').on(t.artifactId, t.createdAt),
    check('try_requests_tokens_check', sql`${t.tokens} >= 0`),
  ],
);
