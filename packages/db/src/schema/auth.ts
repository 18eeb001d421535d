// Users, API keys (stored as SHA-256 hashes, never in clear) with their scopes, projects, role memberships,
// browser sessions, and the sign-in throttle shared by every API process on the database.
import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

export const role = pgEnum('role', ['viewer', 'member', 'admin']);

/**
 * What an API key may do, at most (the effective role is the lower of this and the user's membership):
 * `read` reads (viewer), `log` also writes runs, metrics, artifacts and logs (member), `admin` also manages the
 * project and may mint API keys.
 */
export const apiKeyScope = pgEnum('api_key_scope', ['read', 'log', 'admin']);

export const users = pgTable('users', {
  id: uuid().primaryKey().default(sql`gen_random_uuid()`),
  email: text().notNull().unique(),
  name: text().notNull(),
  /** scrypt hash `salt:hash`; null for accounts that only use API keys. */
  passwordHash: text(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid().primaryKey().default(sql`gen_random_uuid()`),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    /** First characters of the key, shown in listings so users can tell keys apart. */
    prefix: text().notNull(),
    hash: text().notNull().unique(),
    /** Null: the user's roles, but the key cannot mint keys (keys made before scopes, or without one). */
    scope: apiKeyScope(),
    /** The one project the key is limited to; null: every project of the user. */
    projectId: uuid().references(() => projects.id, { onDelete: 'cascade' }),
    /** The key that minted this one (null: minted from a session or at bootstrap); revoking it revokes this. */
    mintedBy: uuid().references((): AnyPgColumn => apiKeys.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Written at most once a minute per key (auth.ts). */
    lastUsedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index('api_keys_user_idx').on(t.userId), index('api_keys_minted_by_idx').on(t.mintedBy)],
);

export const projects = pgTable('projects', {
  id: uuid().primaryKey().default(sql`gen_random_uuid()`),
  name: text().notNull().unique(),
  description: text().notNull().default(''),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export const memberships = pgTable(
  'memberships',
  {
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: role().notNull(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.userId] })],
);

/** Browser sessions (HTTP-only cookie): the cookie holds a random token, the table its SHA-256. */
export const sessions = pgTable(
  'sessions',
  {
    hash: text().primaryKey(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/**
 * Failed password sign-ins, per account (`account:<e-mail>`) and per client address (`address:<ip or /64>`):
 * past a number of failures each further one locks the key out for a doubling time (signin-throttle.ts).
 */
export const signInFailures = pgTable('sign_in_failures', {
  key: text().primaryKey(),
  failures: integer().notNull().default(0),
  lastFailureAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  lockedUntil: timestamp({ withTimezone: true }),
});

/**
 * Addresses (the sign-in throttle's bucket: an IPv4 address or an IPv6 /64) that have signed in to an account
 * with its password: a stranger's failures lock the account for other addresses, not for these (signin.ts).
 */
export const signInKnownAddresses = pgTable(
  'sign_in_known_addresses',
  {
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    address: text().notNull(),
    lastSuccessAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.address] })],
);
