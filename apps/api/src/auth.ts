// API keys (Bearer) for the trainer, workers and notebooks; user accounts with scrypt-hashed passwords and
// HTTP-only session cookies for the web app. A key or session token is shown once; the database keeps its
// SHA-256. Every resolver checks the viewer's role in the project it touches (viewer < member < admin); a
// project the viewer is not a member of reads as not found. An API key carries a scope (read, log, admin) that
// caps the user's role, may be limited to one project, and dies with the key that minted it.
import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { DbHandle } from '@anneal/db/client';
import type { apiKeyScope } from '@anneal/db/schema/auth';
import { type SQL, sql } from 'drizzle-orm';
import { ApiError } from './errors.ts';

export type Role = 'viewer' | 'member' | 'admin';
const RANK: Record<Role, number> = { viewer: 0, member: 1, admin: 2 };

export type KeyScope = (typeof apiKeyScope.enumValues)[number];
/** The highest role a key of each scope acts with; an unscoped key (null) keeps the user's roles. */
const SCOPE_ROLE: Record<KeyScope, Role> = { read: 'viewer', log: 'member', admin: 'admin' };

/** The lower of a membership role and what the request's key allows (sessions: the membership role). */
export const capRole = (role: Role, key: ViewerKey | null | undefined): Role =>
  key?.scope && RANK[SCOPE_ROLE[key.scope]] < RANK[role] ? SCOPE_ROLE[key.scope] : role;

export interface ViewerKey {
  id: string;
  /** null: the user's roles, but no minting (keys made before scopes existed, or without one). */
  scope: KeyScope | null;
  /** The one project the key works in; null: all of the user's projects. */
  projectId: string | null;
}

export interface Viewer {
  userId: string;
  /**
   * Project id → effective role (the membership, capped by the key's scope), loaded with the key (one statement
   * per request).
   */
  roles: Map<string, Role>;
  /** The API key the request was made with; null (or absent) for a browser session. */
  key?: ViewerKey | null;
}

export const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

export const SESSION_COOKIE = 'anneal_session';
export const SESSION_DAYS = 30;
const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

/** `salt:hash` (scrypt, 16-byte salt, 64-byte key), hex. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  return `${salt.toString('hex')}:${(await scryptAsync(password, salt, 64)).toString('hex')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [salt, hash] = stored.split(':');
  if (!salt || !hash) return false;
  const want = Buffer.from(hash, 'hex');
  const got = await scryptAsync(password, Buffer.from(salt, 'hex'), 64);
  return got.length === want.length && timingSafeEqual(got, want);
}

let dummy: Promise<string> | undefined;
/**
 * A hash of a random password nobody knows, made like every stored one: a sign-in for an unknown e-mail (or an
 * account without a password) is checked against it, so it costs the same scrypt work as a wrong password.
 */
export const dummyPasswordHash = () => {
  dummy ??= hashPassword(randomBytes(18).toString('base64url'));
  return dummy;
};

/** A new session for a user: the token for the cookie (only its hash is stored). */
export async function createSession(h: DbHandle, userId: string): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await h.rows(sql`insert into sessions (hash, user_id, expires_at)
    values (${hashKey(token)}, ${userId}::uuid, now() + make_interval(days => ${SESSION_DAYS}))`);
  return token;
}

/** The viewer of a session cookie's token, or null when unknown or expired. */
export async function authenticateSession(h: DbHandle, token: string): Promise<Viewer | null> {
  const rows = await h.rows<{ user_id: string; project_id: string | null; role: Role | null }>(sql`
    select s.user_id, m.project_id, m.role
    from sessions s left join memberships m on m.user_id = s.user_id
    where s.hash = ${hashKey(token)} and s.expires_at > now()`);
  return viewerOf(rows, null);
}

function viewerOf(
  rows: { user_id: string; project_id: string | null; role: Role | null }[],
  key: ViewerKey | null,
): Viewer | null {
  if (!rows.length) return null;
  const roles = new Map<string, Role>();
  for (const r of rows) if (r.project_id && r.role) roles.set(r.project_id, capRole(r.role, key));
  return { userId: rows[0].user_id, roles, key };
}

export interface KeyOptions {
  /** The most the key may do (default null: the user's roles, without minting keys). */
  scope?: KeyScope | null;
  /** Limits the key to one project. */
  projectId?: string | null;
  /** The key that mints this one: revoking it (or any key above it) revokes this one too. */
  mintedBy?: string | null;
}

/** A new API key for a user: returns the key itself (never stored) and its row id. */
export async function createApiKey(
  h: DbHandle,
  userId: string,
  name: string,
  { scope = null, projectId = null, mintedBy = null }: KeyOptions = {},
): Promise<{ id: string; key: string }> {
  const key = `ank_${randomBytes(24).toString('base64url')}`;
  const [row] = await h.rows<{ id: string }>(sql`
    insert into api_keys (user_id, name, prefix, hash, scope, project_id, minted_by)
    values (${userId}, ${name}, ${key.slice(0, 8)}, ${hashKey(key)}, ${scope}, ${projectId}, ${mintedBy})
    returning id`);
  return { id: row.id, key };
}

/**
 * Revokes a key and every key minted from it, transitively; `where` narrows which key may be named (its owner,
 * its project). Returns the named key's row, or nothing when `where` matched none.
 */
export const revokeKeyTree = (h: DbHandle, id: string, where: SQL) =>
  h.rows<{ id: string }>(sql`with recursive tree as (
      select id from api_keys where id = ${id}::uuid and ${where}
      union
      select k.id from api_keys k join tree t on k.minted_by = t.id
    )
    update api_keys set revoked_at = coalesce(revoked_at, now()) where id in (select id from tree)
    returning id`);

/**
 * Recently verified keys, so a busy client (a trainer logging every step) costs one statement per request, not
 * two. A change made through this process (a membership, a revoked key) clears it; one made through another API
 * process takes effect here within `ttlMs`.
 */
export class KeyCache {
  private entries = new Map<string, { viewer: Viewer; expires: number }>();
  /** Bumped by clear(): a verification read before a clear is not cached after it. */
  generation = 0;
  constructor(
    readonly ttlMs = 10_000,
    readonly max = 10_000,
  ) {}
  get(hash: string): Viewer | null {
    const e = this.entries.get(hash);
    if (!e || e.expires < Date.now()) return null;
    return e.viewer;
  }
  /** Caches a verification read at `generation` (unless the cache was cleared since). */
  set(hash: string, viewer: Viewer, generation: number): void {
    if (generation !== this.generation) return;
    if (this.entries.size >= this.max) this.entries.clear();
    this.entries.set(hash, { viewer, expires: Date.now() + this.ttlMs });
  }
  /** Forgets every verification: after a change of memberships or keys, each key's roles are read again. */
  clear(): void {
    this.generation++;
    this.entries.clear();
  }
}

/** How often a key's `lastUsedAt` is written, at most (seconds). */
export const LAST_USED_EVERY_S = 60;

/** The viewer behind an `Authorization: Bearer <key>` header, or null. */
export async function authenticate(
  h: DbHandle,
  header: string | null,
  cache?: KeyCache,
): Promise<Viewer | null> {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!m) return null;
  const hash = hashKey(m[1]);
  const hit = cache?.get(hash);
  if (hit) return hit;
  const generation = cache?.generation ?? 0;
  // One statement: the key, its memberships (only its project's, for a key limited to one), refused when a key
  // above it in the minting chain is revoked (revoking cascades, but this also covers a key minted while its
  // parent was being revoked); `last_used_at` is written here at most once a minute per key.
  const rows = await h.rows<{
    key_id: string;
    user_id: string;
    scope: KeyScope | null;
    key_project: string | null;
    project_id: string | null;
    role: Role | null;
  }>(sql`
    with recursive k as (
      select id, user_id, scope, project_id, minted_by from api_keys where hash = ${hash} and revoked_at is null
    ), chain (id) as (
      select minted_by from k where minted_by is not null
      union
      select a.minted_by from api_keys a join chain c on a.id = c.id where a.minted_by is not null
    ), touched as (
      update api_keys set last_used_at = now()
      where id = (select id from k) and (last_used_at is null or last_used_at < now() - make_interval(secs => ${LAST_USED_EVERY_S}))
      returning id
    )
    select k.id as key_id, k.user_id, k.scope, k.project_id as key_project, m.project_id, m.role
    from k left join memberships m on m.user_id = k.user_id and (k.project_id is null or m.project_id = k.project_id)
    where not exists (select 1 from api_keys a join chain c on a.id = c.id where a.revoked_at is not null)`);
  const first = rows[0];
  const viewer = first
    ? viewerOf(rows, { id: first.key_id, scope: first.scope, projectId: first.key_project })
    : null;
  if (viewer) cache?.set(hash, viewer, generation);
  return viewer;
}

/** Throws FORBIDDEN unless the request may mint API keys: a browser session, or an admin-scoped key. */
export function requireKeyAdmin(viewer: Viewer, action: string): void {
  if (viewer.key && viewer.key.scope !== 'admin')
    throw new ApiError(
      'FORBIDDEN',
      `${action} needs a signed-in session or an admin-scoped API key; this key's scope is ${viewer.key.scope ?? 'unscoped (your roles, no key management)'}`,
    );
}

/** Throws UNAUTHENTICATED for anonymous requests. */
export function requireViewer(viewer: Viewer | null): asserts viewer is Viewer {
  if (!viewer)
    throw new ApiError('UNAUTHENTICATED', 'authentication required: send Authorization: Bearer <api key>');
}

/** Throws unless the viewer holds at least `role` in the project. Non-members get NOT_FOUND. */
export function requireRole(viewer: Viewer | null, projectId: string, role: Role): void {
  requireViewer(viewer);
  const has = viewer.roles.get(projectId);
  if (!has) throw new ApiError('NOT_FOUND', `project ${projectId} not found`);
  if (RANK[has] < RANK[role])
    throw new ApiError('FORBIDDEN', `this needs the ${role} role in the project; you are a ${has}`);
}
