// Saved views of a project's workspace: a name, the chart panels and the runs table's state (filter, grouping,
// columns, sort) as one validated JSON spec (apps/api/src/views.ts), who made it; and each user's default view
// per project (opened when the project page has no ?view=).
import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { projects, users } from './auth.ts';

export const savedViews = pgTable(
  'saved_views',
  {
    id: uuid().primaryKey().default(sql`gen_random_uuid()`),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    /** The view's spec (panels, table state), validated by the API before it is stored. */
    spec: jsonb().notNull(),
    /** Null once its creator's account is gone: then only an admin edits it. */
    createdBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('saved_views_project_name_idx').on(t.projectId, t.name),
    index('saved_views_created_by_idx').on(t.createdBy),
  ],
);

/** A user's default view of a project. */
export const defaultViews = pgTable(
  'default_views',
  {
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    viewId: uuid()
      .notNull()
      .references(() => savedViews.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.projectId] }), index('default_views_view_idx').on(t.viewId)],
);
