// API keys (Bearer) for the trainer, workers and notebooks; user accounts with scrypt-hashed passwords and
// HTTP-only session cookies for the web app. A key or session token is shown once; the database keeps its
// SHA-256. Every resolver checks the viewer's role in the project it touches (viewer < member < admin); a
// project the viewer is not a member of reads as not found.
import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { DbHandle } from '@anneal/db/client';
import { sql } from 'drizzle-orm';
import { ApiError } from './errors.ts';

export type Role = 'viewer' | 'member' | 'admin';
const RANK: Record<Role, number> = { viewer: 0, member: 1, admin: 2 };

export interface Viewer {
  userId: string;
  /** Project id → role, loaded with the key (one statement per request). */
  roles: Map<string, Role>;
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

export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const [salt, hash] = (stored ?? '').split(':');
  if (!salt || !hash) return false;
  const got = await scryptAsync(password, Buffer.from(salt, 'hex'), 64);
  return timingSafeEqual(got, Buffer.from(hash, 'hex'));
}

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
  return viewerOf(rows);
}

function viewerOf(rows: { user_id: string; project_id: string | null; role: Role | null }[]): Viewer | null {
  if (!rows.length) return null;
  const roles = new Map<string, Role>();
  for (const r of rows) if (r.project_id && r.role) roles.set(r.project_id, r.role);
  return { userId: rows[0].user_id, roles };
}

/** A new API key for a user: returns the key itself (never stored) and its row id. */
export async function createApiKey(
  h: DbHandle,
  userId: string,
  name: string,
): Promise<{ id: string; key: string }> {
  const key = `ank_${randomBytes(24).toString('base64url')}`;
  const [row] = await h.rows<{ id: string }>(sql`
    insert into api_keys (user_id, name, prefix, hash) values (${userId}, ${name}, ${key.slice(0, 8)}, ${hashKey(key)})
    returning id`);
  return { id: row.id, key };
}

/**
 * Recently verified keys, so a busy client (a trainer logging every step) costs one statement per request, not
 * two. A change made through this process (a membership, a revoked key) clears it; one made through another API
 * process takes effect here within `ttlMs`.
 */
export class KeyCache {
  private entries = new Map<string, { viewer: Viewer; expires: number }>();
  constructor(
    readonly ttlMs = 10_000,
    readonly max = 10_000,
  ) {}
  get(hash: string): Viewer | null {
    const e = this.entries.get(hash);
    if (!e || e.expires < Date.now()) return null;
    return e.viewer;
  }
  set(hash: string, viewer: Viewer): void {
    if (this.entries.size >= this.max) this.entries.clear();
    this.entries.set(hash, { viewer, expires: Date.now() + this.ttlMs });
  }
  /** Forgets every verification: after a change of memberships or keys, each key's roles are read again. */
  clear(): void {
    this.entries.clear();
  }
}

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
  const rows = await h.rows<{ user_id: string; project_id: string | null; role: Role | null }>(sql`
    select k.user_id, m.project_id, m.role
    from api_keys k left join memberships m on m.user_id = k.user_id
    where k.hash = ${hash} and k.revoked_at is null`);
  const viewer = viewerOf(rows);
  if (viewer) cache?.set(hash, viewer);
  return viewer;
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
