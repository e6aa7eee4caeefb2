import type { Logger } from 'pino';

export interface Context {
	requestId: string;
	ip: string;
	userAgent: string;
	log: Logger;
}
