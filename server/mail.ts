import nodemailer from 'nodemailer';
import type { Mailer } from './auth/deps';

/** A mailer over SMTP_URL (e.g. smtp://user:pass@mail.example.com:587), or null when unset. */
export function createMailer(smtpUrl: string | undefined, from: string): Mailer | null {
	if (!smtpUrl) return null;
	const transport = nodemailer.createTransport(smtpUrl);
	return {
		async send(message) {
			await transport.sendMail({ from, ...message });
		}
	};
}
