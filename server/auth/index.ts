import { config } from '../config';
import { database } from '../db';
import { createMailer } from '../mail';
import { redis } from '../redis';
import { singleton } from '../singleton';
import { makeAuthDeps, type AuthDeps } from './deps';
import { relyingParty } from './webauthn';

export function authDeps(): AuthDeps {
	return singleton('auth-deps', () => {
		const cfg = config();
		return makeAuthDeps({
			db: database().db,
			redis: redis(),
			prefix: cfg.REDIS_PREFIX,
			rp: relyingParty(cfg.ORIGIN),
			mailer: createMailer(cfg.SMTP_URL, cfg.MAIL_FROM)
		});
	});
}

export function secureCookies(): boolean {
	return config().ORIGIN.startsWith('https://');
}
