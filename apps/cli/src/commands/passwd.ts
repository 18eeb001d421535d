// `anneal passwd [email]`: a new random password for a user, which also signs out its browsers and lifts a
// sign-in lockout (the way back in for a locked-out admin of a self-hosted server).

import { randomBytes } from 'node:crypto';
import { hashPassword } from '@anneal/api/auth';
import { clearAccountFailures } from '@anneal/api/signin';
import { connect } from '@anneal/db/client';
import { Command } from 'commander';

export const passwdCommand = new Command('passwd')
  .description(
    'set a new random password for a user of DATABASE_URL or the embedded database (lifting a sign-in lockout), and print it',
  )
  .argument('[email]', 'the user', 'admin@localhost')
  .action(async (email: string) => {
    const h = await connect();
    try {
      const password = randomBytes(12).toString('base64url');
      const rows = await h.query<{ id: string }>(
        'update users set password_hash = $1 where email = $2 returning id',
        [await hashPassword(password), email.trim().toLowerCase()],
      );
      if (!rows.length) throw new Error(`passwd: no user ${email}`);
      await h.query('delete from sessions where user_id = $1', [rows[0].id]); // signed-in browsers sign in again
      await clearAccountFailures(h, email); // and a lockout from failed sign-ins is lifted
      console.log(`${email}: new password ${password}`);
    } finally {
      await h.close();
    }
  });
