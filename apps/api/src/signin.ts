// Password sign-in, throttled per account and per client address with exponential backoff. The counters live in
// Postgres (sign_in_failures), so every API process on one database enforces the same limit. An unknown e-mail
// (or an account without a password) costs the same statements and the same scrypt work as a wrong password,
// and is throttled the same way, so neither the answer, its timing nor a lockout tells if an account exists.
// Each attempt is counted before its password is checked, in one atomic upsert, so parallel attempts cannot slip
// past the limit; a locked-out attempt is refused — the right password included — with RATE_LIMITED and the
// time to retry. A successful sign-in clears its account's counter and takes its own count off its address's.
// An address that has signed in to an account before is not held by that account's lockout (a stranger's
// failures must not lock the owner out), only by its own address limit.
import type { DbHandle } from '@anneal/db/client';
import { sql } from 'drizzle-orm';
import { GraphQLError } from 'graphql';
import { dummyPasswordHash, verifyPassword } from './auth.ts';
import { ApiError, badInput } from './errors.ts';

/** Per key kind: failures without a lockout. The next one locks the key out; each later one doubles that. */
export const FREE_FAILURES = { account: 5, address: 20 } as const;
/** The first lockout, and the longest (seconds). */
export const FIRST_LOCKOUT_S = 1;
export const MAX_LOCKOUT_S = 15 * 60;
/** The longest password or e-mail accepted (characters): scrypt's work grows with the password's length. */
export const MAX_CREDENTIAL_LENGTH = 1024;
/** Failures older than this are forgotten: the next one counts from 1 again (seconds). */
export const FORGET_AFTER_S = 24 * 3600;

/** The throttle keys of an attempt: the account (by e-mail, known or not) and the client address. */
export const throttleKeys = (email: string, address: string) => ({
  account: `account:${email}`,
  address: `address:${addressBucket(address)}`,
});

/**
 * The unit an address is throttled by: an IPv4 address (also when IPv4-mapped in IPv6), or an IPv6 address's
 * /64 network, since one subscriber usually holds a whole /64.
 */
export function addressBucket(address: string): string {
  const a = address.trim().toLowerCase();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(a);
  if (mapped) return mapped[1];
  if (!a.includes(':')) return a || 'unknown';
  const [head, tail = ''] = a.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = a.includes('::')
    ? [...h, ...Array(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t]
    : h;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/** RATE_LIMITED: when the caller may try again (`retryAfterSeconds`, and `retryAt` as ISO-8601). */
export class RateLimited extends GraphQLError {
  constructor(until: Date) {
    const seconds = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000));
    super(
      `too many failed sign-ins for this account or from this address: try again in ${seconds} s (at ${until.toISOString()})`,
      { extensions: { code: 'RATE_LIMITED', retryAfterSeconds: seconds, retryAt: until.toISOString() } },
    );
  }
}

interface Account {
  id: string;
  email: string;
  name: string;
}

/** How long a successful sign-in keeps its address known to the account (days). */
export const KNOWN_ADDRESS_DAYS = 90;

/** The account of a correct e-mail and password; throws RATE_LIMITED while locked out, else UNAUTHENTICATED. */
export async function signIn(
  h: DbHandle,
  email: string,
  password: string,
  address: string,
): Promise<Account> {
  for (const [field, value] of [
    ['email', email],
    ['password', password],
  ] as const)
    if (value.length > MAX_CREDENTIAL_LENGTH)
      throw badInput(field, `at most ${MAX_CREDENTIAL_LENGTH} characters, not ${value.length}`);
  const normalized = email.trim().toLowerCase();
  const keys = throttleKeys(normalized, address);
  const bucket = addressBucket(address);
  const dummy = await dummyPasswordHash();
  // One statement whether or not the account exists: its row (if any), and whether this address has signed in
  // to it before (then a stranger's failures, which lock the account key, do not lock this address out).
  const [row] = await h.rows<Partial<Account> & { password_hash: string | null; known: boolean }>(sql`
    select u.id, u.email, u.name, u.password_hash,
      exists (select 1 from sign_in_known_addresses k where k.user_id = u.id and k.address = ${bucket}
        and k.last_success_at > now() - make_interval(days => ${KNOWN_ADDRESS_DAYS}::int)) as known
    from (values (1)) one left join users u on u.email = ${normalized}`);
  const counted = row.known ? [keys.address] : [keys.account, keys.address];
  // The attempt is counted before its password is checked, atomically, so parallel attempts cannot all pass a
  // check made before any of them is counted (finding 3).
  const passed = await countAttempt(h, counted);
  if (passed.length < counted.length) {
    // A key was locked out: this attempt is refused, right password or not.
    const [{ until }] = await h.rows<{ until: Date | null }>(sql`
      select max(locked_until) as until from sign_in_failures where key in (${sql.join(
        counted.map((k) => sql`${k}`),
        sql`, `,
      )})`);
    throw new RateLimited(until ? new Date(until) : new Date(Date.now() + FIRST_LOCKOUT_S * 1000));
  }
  // An unknown account is checked against a hash of the same making, so it costs the same as a wrong password.
  const right = await verifyPassword(password, row.password_hash ?? dummy);
  if (!right || !row.id || !row.password_hash)
    throw new ApiError('UNAUTHENTICATED', 'wrong email or password');
  await succeeded(h, normalized, keys.address, row.id, bucket);
  return { id: row.id, email: row.email!, name: row.name! };
}

/** Lifts an account's lockout and forgets its failures (a new password was set: `anneal passwd`). */
export async function clearAccountFailures(h: DbHandle, email: string): Promise<void> {
  await h.rows(
    sql`delete from sign_in_failures where key = ${throttleKeys(email.trim().toLowerCase(), '').account}`,
  );
}

/**
 * Counts an attempt on each key, locking it out once past its free failures (one statement). A key already
 * locked out is left as it is and is missing from the answer: the attempt is then refused. Rows are locked by
 * the upsert, so concurrent attempts are counted one after another.
 */
async function countAttempt(h: DbHandle, keys: string[]): Promise<string[]> {
  // The attempt's count: 1 when the last one is older than FORGET_AFTER_S.
  const count = sql`(case when f.last_failure_at < now() - make_interval(secs => ${FORGET_AFTER_S}::int) then 1
    else f.failures + 1 end)`;
  const free = sql`(case when f.key like 'account:%' then ${FREE_FAILURES.account}::int
    else ${FREE_FAILURES.address}::int end)`;
  // Past `free` attempts: FIRST_LOCKOUT_S, doubling with each further one, capped at MAX_LOCKOUT_S.
  const lockout = sql`case when ${count} > ${free} then now() + make_interval(secs =>
    least(${MAX_LOCKOUT_S}::float8, ${FIRST_LOCKOUT_S}::float8 * power(2, least(${count} - ${free} - 1, 30)))) end`;
  const list = sql`array[${sql.join(
    keys.map((k) => sql`${k}`),
    sql`, `,
  )}]::text[]`;
  // Old counters of other keys are dropped on the way (a hundred at a time), so the table stays small.
  const rows = await h.rows<{ key: string }>(sql`
    with forget as (
      delete from sign_in_failures where key in (
        select key from sign_in_failures
        where last_failure_at < now() - make_interval(secs => ${FORGET_AFTER_S}::int)
          and (locked_until is null or locked_until < now()) and key <> all(${list})
        limit 100)
    )
    insert into sign_in_failures as f (key, failures, last_failure_at)
    select k, 1, now() from unnest(${list}) k
    on conflict (key) do update set
      failures = ${count},
      last_failure_at = now(),
      locked_until = ${lockout}
    where f.locked_until is null or f.locked_until <= now()
    returning f.key`);
  return rows.map((r) => r.key);
}

/**
 * After a right password: the account's counter is reset, the address's count of this attempt taken back
 * (lifting a lockout that attempt set), and the address remembered as known to the account.
 */
async function succeeded(
  h: DbHandle,
  email: string,
  addressKey: string,
  userId: string,
  bucket: string,
): Promise<void> {
  await clearAccountFailures(h, email);
  await h.rows(sql`
    update sign_in_failures set failures = greatest(failures - 1, 0),
      locked_until = case when failures - 1 > ${FREE_FAILURES.address}::int then locked_until end
    where key = ${addressKey}`);
  await h.rows(sql`
    insert into sign_in_known_addresses (user_id, address) values (${userId}, ${bucket})
    on conflict (user_id, address) do update set last_success_at = now()`);
}
